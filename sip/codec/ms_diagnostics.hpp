// The Microsoft `ms-diagnostics` / `ms-diagnostics-public` header (MS-OCER §2.2):
// "<code>;reason=\"...\";source=\"...\";...", kept for error reports and logs.
// Owned by sip_codec; pure, any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "gateway/base/result.hpp"
#include "sip/codec/param.hpp"

namespace fedgate::sip {

struct MsDiagnostics {
  std::uint32_t code = 0;
  Params params;  // reason, source, domain, peerserver... (names lower-case, values as sent)

  std::optional<std::string> reason() const { return param_value(params, "reason"); }
  std::optional<std::string> source() const { return param_value(params, "source"); }
  friend bool operator==(const MsDiagnostics&, const MsDiagnostics&) = default;
};

// Errors: ParseErrc::bad_header.
result<MsDiagnostics> parse_ms_diagnostics(std::string_view header_value);
std::string write_ms_diagnostics(const MsDiagnostics& value);

}  // namespace fedgate::sip
