// Address mapping between wire address text and the neutral Address, RFC 7247 §6 (the
// brief's "§5" is the draft numbering). Pure functions, owned by presence_router, called
// by the sip/ and xmpp/ bridges on their own strands.
#pragma once

#include <string>
#include <string_view>

#include "presence/model/address.hpp"

// SIP side: percent-decoding/encoding (RFC 3261 §19.1.2), GRUU "gr" ↔ resource (§6.4).
// XMPP side: XEP-0106 JID escaping (\27 for ', \26 for &, ...). Anything the neutral
// Address cannot carry (see address.hpp: '@', '/', whitespace, controls, invalid UTF-8 after
// decoding) is refused with AddressErrc::not_representable, never silently altered.
namespace fedgate::presence {

// "sip:user@host[:port][;params][?headers]" or "sips:..."; angle brackets are not accepted
// (the SIP codec hands over the bare URI). Port, params other than gr, and headers are dropped.
Expected<Address, AddressErrc> address_from_sip_uri(std::string_view uri);
// "sip:" + percent-encoded user (unreserved and user-unreserved kept) + "@" + domain
// + ";gr=" + resource when there is one.
std::string to_sip_uri(const Address& a);

// "local@domain[/resource]" with XEP-0106 escapes in the local part; "xmpp:" prefix allowed.
Expected<Address, AddressErrc> address_from_jid(std::string_view jid);
// JID text with XEP-0106 escapes applied to the local part.
std::string to_jid(const Address& a);

// Helpers, exposed for tests and the bridges.
Expected<std::string, AddressErrc> percent_decode(std::string_view s);
bool is_valid_utf8(std::string_view s) noexcept;

}  // namespace fedgate::presence
