// One Via header value (RFC 3261 §20.42, §18.2.1; RFC 3581 rport; RFC 5118 IPv6 sent-by).
// Owned by sip_codec; plain value, any thread. Microsoft adds parameters such as
// ms-received-port and ms-received-cid (MS-SIPRE §2.2); they are kept like any other.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "gateway/base/result.hpp"
#include "sip/codec/param.hpp"

namespace fedgate::sip {

struct Via {
  std::string protocol_name = "SIP";
  std::string protocol_version = "2.0";
  std::string transport;             // upper-case: UDP, TCP, TLS, SCTP or an unknown token
  std::string host;                  // lower-case; an IPv6 reference keeps its brackets
  std::optional<std::uint16_t> port;
  Params params;                     // branch, received, rport, maddr, ttl, ms-received-port...

  static result<Via> parse(std::string_view text);
  void append_to(std::string& out) const;
  std::string str() const;

  std::optional<std::string> branch() const { return param_value(params, "branch"); }
  std::optional<std::string> received() const { return param_value(params, "received"); }
  // rport: nullopt when absent; an empty string when present without a value.
  std::optional<std::string> rport() const { return param_value(params, "rport"); }
  std::optional<std::string> param(std::string_view name) const {
    return param_value(params, name);
  }

  friend bool operator==(const Via&, const Via&) = default;
};

}  // namespace fedgate::sip
