// The SDP of a Lync session-mode IM INVITE (MS-SDPEXT; RFC 4566 syntax): one
// `m=message <port> sip null` line and an `a=accept-types:` list. Owned by sip_codec; pure.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/base/result.hpp"

namespace fedgate::sip {

struct ImSdp {
  std::string origin_address;      // o= unicast address
  std::string connection_address;  // c= address
  std::uint16_t port = 5061;       // m=message <port> sip null
  std::vector<std::string> accept_types;
  friend bool operator==(const ImSdp&, const ImSdp&) = default;
};

// Errors: ParseErrc::bad_body when there is no `m=message <port> sip ...` line, or a line
// is not `<letter>=<value>`.
result<ImSdp> parse_im_sdp(std::string_view sdp);
std::string write_im_sdp(const ImSdp& sdp);

}  // namespace fedgate::sip
