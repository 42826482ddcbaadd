// A SIP, SIPS or tel URI (RFC 3261 §19.1, RFC 3966), or any other absolute URI kept as text.
// Owned by sip_codec; plain value, any thread. Uri::parse normalises once (RFC 3261 §19.1.4:
// scheme, host and parameter names lower-case; escapes canonical), so equality is plain ==.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "gateway/base/result.hpp"
#include "sip/codec/param.hpp"

namespace fedgate::sip {

struct Uri {
  std::string scheme;                   // lower-case: "sip", "sips", "tel", or another scheme
  std::string user;                     // canonical escapes; for tel: the number
  std::optional<std::string> password;  // RFC 3261 §19.1.1 (discouraged, but legal)
  std::string host;                     // lower-case; an IPv6 reference keeps its brackets
  std::optional<std::uint16_t> port;
  Params params;                        // uri-parameters, in order
  Params headers;                       // ?name=value&... (never in a Request-URI)
  std::string opaque;                   // everything after "scheme:" for other schemes

  // Parses an absolute URI. Fails on characters the scheme's grammar forbids (including any
  // whitespace), malformed escapes, malformed hosts (RFC 5118 §4.2) and bad ports.
  static result<Uri> parse(std::string_view text);
  // The canonical text form; Uri::parse(u.str()) == u.
  std::string str() const;
  void append_to(std::string& out) const;

  bool is_sip() const { return scheme == "sip" || scheme == "sips"; }
  // "user@host" (or host alone): the address of record, without port or parameters.
  std::string address() const;
  std::optional<std::string> param(std::string_view name) const {
    return param_value(params, name);
  }

  friend bool operator==(const Uri&, const Uri&) = default;
};

}  // namespace fedgate::sip
