// RFC 6125 §6.4 reference-identifier matching of a domain against the identifiers a peer
// certificate presents (DNS-IDs with one-label wildcards, SRV-IDs, XmppAddr). Owned by
// xmpp_stream; pure functions, any executor.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "xmpp/stream/security.hpp"

namespace fedgate::xmpp {

// Case-insensitive; "*.example.com" matches exactly one extra left-most label
// ("a.example.com", not "example.com" nor "a.b.example.com"); partial wildcards ("a*.x")
// and wildcards in other positions match nothing (RFC 6125 §6.4.3, §7.2).
bool certificate_matches(const std::vector<std::string>& identities, std::string_view domain);

// For the log line of a certificate refusal (never for the peer): the domain expected, the
// names presented, the chain's verdict and issuer, and the fingerprint when `with_fingerprint`
// ("expected partner.example; presented other.example; chain untrusted_issuer; issuer CN=X").
std::string certificate_detail(const TlsFacts& facts, std::string_view expected,
                               bool with_fingerprint = false);

}  // namespace fedgate::xmpp
