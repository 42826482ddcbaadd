// Post-handshake peer certificate check: chain, validity, pin, name and usage, each refusal
// with its precise CertErrc. Owned by gw_net; call on the connection's strand after the
// handshake. RFC 5280 §6 / §4.2.1.12, RFC 6125 §6, RFC 6120 §13.7.2 (XMPP), XEP-0178.
#pragma once

#include <openssl/ssl.h>

#include <string>
#include <vector>

#include "gateway/base/result.hpp"
#include "gateway/net/certificate.hpp"

namespace fedgate::gateway {

// What the peer is to us: the server we dialled, or a client that dialled us.
enum class PeerRole { server, client };
// Which identifiers may name the peer: DNS-ID only (SIP), or DNS-ID, SRV-ID and XmppAddr.
enum class NameRules { dns, xmpp };

struct PeerPolicy {
  PeerRole role = PeerRole::server;
  std::string domain;  // the peer must be covered by this name; "" skips the name check
  NameRules names = NameRules::dns;
  bool require_trusted_chain = true;
  // A client peer whose EKU lists serverAuth but not clientAuth is accepted (public CAs).
  bool accept_server_auth_only = true;
  std::string pinned_sha256;  // hex, ':' allowed; "" = no pin
};

struct PeerIdentity {
  CertificateInfo certificate;
  std::vector<std::string> names;  // the validated names (the policy domain when it matched)
};

// Order of checks: certificate present, chain + validity, pin, name, usage. The first failing
// one is the reason. The trust store is the one of the SSL's current SSL_CTX.
result<PeerIdentity> check_peer(SSL* ssl, const PeerPolicy& policy);
// The same checks on a certificate outside TLS (tests, check-config).
result<PeerIdentity> check_certificate(X509* leaf, STACK_OF(X509) * chain, X509_STORE* store,
                                       const PeerPolicy& policy);

}  // namespace fedgate::gateway
