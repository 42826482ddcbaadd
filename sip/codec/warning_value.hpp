// The Warning header (RFC 3261 §20.43): warn-code SP warn-agent SP warn-text, comma-separated.
// Owned by sip_codec; pure, any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "gateway/base/result.hpp"

namespace fedgate::sip {

struct WarningValue {
  int code = 399;     // three digits
  std::string agent;  // hostport or pseudonym
  std::string text;   // decoded quoted-string
  friend bool operator==(const WarningValue&, const WarningValue&) = default;
};

// Errors: ParseErrc::bad_header.
result<std::vector<WarningValue>> parse_warning(std::string_view header_value);
std::string write_warning(const std::vector<WarningValue>& values);

}  // namespace fedgate::sip
