// ms-text-format header values (Lync session-mode IM first message).
#include "sip/codec/ms_text_format.hpp"

#include "sip/codec/base64.hpp"
#include "sip/codec/grammar.hpp"
#include "sip/codec/parse_error.hpp"

namespace fedgate::sip {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && grammar::is_ws(s.front())) {
    s.remove_prefix(1);
  }
  while (!s.empty() && grammar::is_ws(s.back())) {
    s.remove_suffix(1);
  }
  return s;
}

std::string_view unquote(std::string_view s) {
  return s.size() >= 2 && s.front() == '"' && s.back() == '"' ? s.substr(1, s.size() - 2) : s;
}

}  // namespace

result<MsTextFormat> parse_ms_text_format(std::string_view header_value) {
  MsTextFormat out;
  std::size_t semi = header_value.find(';');
  std::string_view type = trim(header_value.substr(0, semi));
  if (type.find('/') == std::string_view::npos || type.front() == '/' || type.back() == '/') {
    return make_error_code(ParseErrc::bad_body);
  }
  out.content_type.assign(type);
  out.charset.clear();
  while (semi != std::string_view::npos) {
    std::size_t next = header_value.find(';', semi + 1);
    std::string_view item = header_value.substr(semi + 1, next == std::string_view::npos ? next : next - semi - 1);
    semi = next;
    std::size_t eq = item.find('=');
    std::string_view name = trim(item.substr(0, eq));
    std::string_view value = eq == std::string_view::npos ? "" : unquote(trim(item.substr(eq + 1)));
    if (grammar::iequals(name, "charset")) {
      out.charset.assign(value);
    } else if (grammar::iequals(name, "msgr")) {
      out.format.assign(value);
    } else if (grammar::iequals(name, "ms-body")) {
      auto body = base64_decode(value);
      if (!body) {
        return make_error_code(ParseErrc::bad_body);
      }
      out.body = std::move(*body);
    }
  }
  return out;
}

std::string write_ms_text_format(const MsTextFormat& value) {
  std::string out = value.content_type;
  if (!value.charset.empty()) {
    out += "; charset=" + value.charset;
  }
  if (!value.format.empty()) {
    out += ";msgr=" + value.format;
  }
  out += ";ms-body=" + base64_encode(value.body);
  return out;
}

}  // namespace fedgate::sip
