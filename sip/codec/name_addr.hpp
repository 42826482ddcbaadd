// A name-addr or addr-spec with header parameters, as in From, To, Contact, Route and
// Record-Route (RFC 3261 §20.10, §20.20, §20.39; §25.1). Owned by sip_codec; any thread.
// Microsoft adds `epid` next to `tag` on From/To (MS-SIPRE §2.2.4); both are plain params.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "gateway/base/result.hpp"
#include "sip/codec/param.hpp"
#include "sip/codec/uri.hpp"

namespace fedgate::sip {

struct NameAddr {
  std::string display_name;  // decoded (quotes and quoted-pairs removed); may be empty
  Uri uri;
  Params params;             // header parameters: tag, epid, expires, q, +sip.instance...

  // Parses one value. An addr-spec without <> ends at the first ';' (its parameters are
  // header parameters, RFC 4475 §3.3.12) and may not contain '?' or ',' (§3.1.2.13).
  static result<NameAddr> parse(std::string_view text);
  // Always written in the <> form; the display name, if any, is quoted.
  void append_to(std::string& out) const;
  std::string str() const;

  std::optional<std::string> tag() const { return param_value(params, "tag"); }
  std::optional<std::string> epid() const { return param_value(params, "epid"); }
  std::optional<std::string> param(std::string_view name) const {
    return param_value(params, name);
  }

  friend bool operator==(const NameAddr&, const NameAddr&) = default;
};

}  // namespace fedgate::sip
