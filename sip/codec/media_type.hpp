// A media type as in Content-Type (RFC 3261 §20.15, RFC 2045 §5.1): type/subtype;params.
// Owned by sip_codec; plain value, any thread. Type and subtype are stored lower-case.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "gateway/base/result.hpp"
#include "sip/codec/param.hpp"

namespace fedgate::sip {

struct MediaType {
  std::string type;     // "application"
  std::string subtype;  // "pidf+xml"
  Params params;        // charset, boundary, type, start... (values as received)

  static result<MediaType> parse(std::string_view text);
  void append_to(std::string& out) const;
  std::string str() const;

  // Case-insensitive match on "type/subtype".
  bool is(std::string_view type_subtype) const;
  std::optional<std::string> param(std::string_view name) const {
    return param_value(params, name);
  }

  friend bool operator==(const MediaType&, const MediaType&) = default;
};

}  // namespace fedgate::sip
