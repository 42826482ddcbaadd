// RFC 6125 §6.4 reference-identifier matching of a domain against the identifiers a peer
// certificate presents (DNS-IDs with one-label wildcards, SRV-IDs, XmppAddr). Owned by
// xmpp_stream; pure function, any executor.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace fedgate::xmpp {

// Case-insensitive; "*.example.com" matches exactly one extra left-most label
// ("a.example.com", not "example.com" nor "a.b.example.com"); partial wildcards ("a*.x")
// and wildcards in other positions match nothing (RFC 6125 §6.4.3, §7.2).
bool certificate_matches(const std::vector<std::string>& identities, std::string_view domain);

}  // namespace fedgate::xmpp
