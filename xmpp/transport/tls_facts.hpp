// What the TLS handshake taught us about the peer, in the form the stream state machines take
// (TlsFacts): chain verdict with its precise reason token, presented identities, fingerprint.
// Owned by xmpp_net; pure over an SSL*, called on the session's strand after the handshake.
// RFC 6120 §13.7.2, RFC 6125 §6 (matching itself happens in xmpp/stream), XEP-0178.
#pragma once

#include <openssl/ssl.h>

#include <string>

#include "gateway/net/certificate.hpp"
#include "gateway/net/peer_check.hpp"
#include "xmpp/stream/security.hpp"

namespace fedgate::xmpp {

// Checks chain, validity and usage (gateway::check_peer without a name: the stream matches
// names) and lists DNS-IDs, SRV-IDs reduced to their domain, and XmppAddr domains.
TlsFacts tls_facts(SSL* ssl, gateway::PeerRole peer_role);

// The stable token for a certificate refusal: "expired", "untrusted_issuer", "missing_usage"...
std::string chain_failure_token(gateway::CertErrc e);

}  // namespace fedgate::xmpp
