// SIP URIs and From/To name-addrs ↔ presence::Address (RFC 7247 §6.4/§6.5: sip:user@domain,
// the GRUU "gr" parameter as the resource). The Microsoft `epid` and the dialog `tag` are
// kept on the side so the bridge can echo them (MS-SIPRE §2.2.4). Owned by sip_net; pure.
#pragma once

#include <string>
#include <string_view>

#include "gateway/base/result.hpp"
#include "presence/model/address.hpp"
#include "sip/codec/name_addr.hpp"
#include "sip/codec/uri.hpp"

namespace fedgate::sip {

// One side of a SIP request as the bridge sees it.
struct SipParty {
  presence::Address address;  // user@domain, resource = GRUU gr when present
  std::string display_name;
  std::string tag;   // dialog tag, "" when none
  std::string epid;  // Microsoft endpoint id, "" when none
  friend bool operator==(const SipParty&, const SipParty&) = default;
};

// sip:/sips: URIs only; the user part is percent-decoded and must be present, the host must
// be a domain name (an IP literal has no user@domain form). Port and other parameters are
// dropped. Errors: ConvertErrc::bad_address.
result<presence::Address> address_from_uri(const Uri& uri);
result<SipParty> party_from(const NameAddr& name_addr);
// A presentity as presence documents write it: "sip:", "sips:", "pres:" (RFC 3859) or a bare
// "user@domain" (legacy Microsoft documents); the result has no resource.
result<presence::Address> address_from_document_uri(std::string_view text);

// "sip:" + percent-encoded local part + "@" + domain (+ ";gr=" + resource).
Uri uri_for(const presence::Address& address);
// <uri>;tag=..;epid=.. (each only when not empty).
NameAddr name_addr_for(const presence::Address& address, std::string_view tag = {},
                       std::string_view epid = {});

}  // namespace fedgate::sip
