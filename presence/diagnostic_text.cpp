// Extracting the human-readable text of SIP diagnostics: Warning (RFC 3261 §20.43) and
// Microsoft's ms-diagnostics (MS-SIPRE §2.2.2) headers.
#include <string>
#include <string_view>

#include "presence/error_mapping.hpp"

namespace fedgate::presence {
namespace {

// The content of the quoted-string starting at s[open] == '"', with \-escapes resolved.
std::string quoted_at(std::string_view s, std::size_t open) {
  std::string out;
  for (std::size_t i = open + 1; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      out += s[++i];
    } else if (s[i] == '"') {
      break;
    } else {
      out += s[i];
    }
  }
  return out;
}

}  // namespace

std::string warning_text(std::string_view warning) {
  auto open = warning.find('"');
  return open == std::string_view::npos ? std::string{} : quoted_at(warning, open);
}

std::string ms_diagnostics_reason(std::string_view ms_diagnostics) {
  auto key = ms_diagnostics.find("reason=");
  if (key == std::string_view::npos) {
    return {};
  }
  auto value = key + 7;
  if (value < ms_diagnostics.size() && ms_diagnostics[value] == '"') {
    return quoted_at(ms_diagnostics, value);
  }
  auto end = ms_diagnostics.find(';', value);
  return std::string{ms_diagnostics.substr(
      value, end == std::string_view::npos ? std::string_view::npos : end - value)};
}

}  // namespace fedgate::presence
