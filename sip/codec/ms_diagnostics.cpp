// ms-diagnostics (MS-OCER §2.2) and Warning (RFC 3261 §20.43) header values.
#include "sip/codec/ms_diagnostics.hpp"

#include "sip/codec/grammar.hpp"
#include "sip/codec/parse_error.hpp"
#include "sip/codec/warning_value.hpp"

namespace fedgate::sip {

using namespace grammar;

result<MsDiagnostics> parse_ms_diagnostics(std::string_view header_value) {
  Cursor c{header_value};
  c.skip_ws();
  std::uint64_t code = 0;
  MsDiagnostics out;
  if (!scan_digits(c, code) || code > 0xffffffffu || !parse_header_params(c, out.params) ||
      !c.done()) {
    return make_error_code(ParseErrc::bad_header);
  }
  out.code = static_cast<std::uint32_t>(code);
  return out;
}

std::string write_ms_diagnostics(const MsDiagnostics& value) {
  std::string out = std::to_string(value.code);
  append_params(out, value.params);
  return out;
}

result<std::vector<WarningValue>> parse_warning(std::string_view header_value) {
  std::vector<WarningValue> out;
  bool ok = for_each_comma_item(header_value, [&](std::string_view item) {
    Cursor c{item};
    std::uint64_t code = 0;
    std::size_t start = c.pos;
    if (!scan_digits(c, code) || c.pos - start != 3 || c.peek() != ' ') {
      return false;
    }
    c.skip_ws();
    std::size_t agent_start = c.pos;
    while (!c.done() && !is_ws(c.peek())) {
      ++c.pos;
    }
    WarningValue w{static_cast<int>(code), std::string(item.substr(agent_start, c.pos - agent_start)), {}};
    c.skip_ws();
    if (w.agent.empty() || !scan_quoted(c, &w.text, nullptr) || !c.done()) {
      return false;
    }
    out.push_back(std::move(w));
    return true;
  });
  if (!ok) {
    return make_error_code(ParseErrc::bad_header);
  }
  return out;
}

std::string write_warning(const std::vector<WarningValue>& values) {
  std::string out;
  for (const auto& w : values) {
    if (!out.empty()) {
      out += ", ";
    }
    std::string code = std::to_string(w.code);
    out += std::string(code.size() < 3 ? 3 - code.size() : 0, '0') + code;  // "000" stays 3 digits
    out += " " + w.agent + " ";
    append_quoted(out, w.text);
  }
  return out;
}

}  // namespace fedgate::sip
