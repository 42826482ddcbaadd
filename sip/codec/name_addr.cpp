// name-addr / addr-spec parsing and writing (RFC 3261 §20.10, §25.1; RFC 4475 §3.1.1.6).
#include "sip/codec/name_addr.hpp"

#include "sip/codec/grammar.hpp"
#include "sip/codec/parse_error.hpp"
#include "sip/codec/parse_into.hpp"

namespace fedgate::sip {
namespace {

using namespace grammar;

// display-name as 1*(token LWS) directly followed by '<' (no LWS needed: RFC 4475 §3.1.1.6).
bool scan_token_display(Cursor& c, std::string& display) {
  std::size_t save = c.pos;
  while (true) {
    std::string_view word = scan_token(c);
    if (word.empty()) {
      break;
    }
    if (!display.empty()) {
      display.push_back(' ');
    }
    display += word;
    c.skip_ws();
  }
  if (c.peek() == '<' && !display.empty()) {
    return true;
  }
  display.clear();
  c.pos = save;
  return false;
}

ParseErrc parse_angle(Cursor& c, NameAddr& na) {
  ++c.pos;  // '<'
  std::size_t close = c.s.find('>', c.pos);
  if (close == std::string_view::npos) {
    return ParseErrc::bad_uri;
  }
  if (!detail::parse_uri_into(c.s.substr(c.pos, close - c.pos), na.uri)) {
    return ParseErrc::bad_uri;
  }
  c.pos = close + 1;
  if (!parse_header_params(c, na.params) || !c.done()) {
    return ParseErrc::bad_uri;
  }
  return {};
}

}  // namespace

namespace detail {

bool parse_name_addr_into(std::string_view text, NameAddr& na) {
  Cursor c{text};
  c.skip_ws();
  if (c.peek() == '"') {
    if (!scan_quoted(c, &na.display_name, nullptr)) {
      return false;
    }
    c.skip_ws();
    return c.peek() == '<' && parse_angle(c, na) == ParseErrc{};
  }
  if (c.peek() == '<' || scan_token_display(c, na.display_name)) {
    return parse_angle(c, na) == ParseErrc{};
  }
  // addr-spec: the URI ends at the first ';' and may not hold '?' or ',' (RFC 3261 §20).
  std::string_view rest = c.rest();
  std::size_t semi = rest.find(';');
  std::string_view uri_text = rest.substr(0, semi);
  while (!uri_text.empty() && is_ws(uri_text.back())) {
    uri_text.remove_suffix(1);
  }
  if (uri_text.find_first_of("?,") != std::string_view::npos ||
      !parse_uri_into(uri_text, na.uri)) {
    return false;
  }
  if (semi != std::string_view::npos) {
    c.pos += semi;
    return parse_header_params(c, na.params) && c.done();
  }
  return true;
}

}  // namespace detail

result<NameAddr> NameAddr::parse(std::string_view text) {
  result<NameAddr> out(boost::system::in_place_value);
  if (!detail::parse_name_addr_into(text, *out)) {
    out = make_error_code(ParseErrc::bad_uri);
  }
  return out;
}

void NameAddr::append_to(std::string& out) const {
  if (!display_name.empty()) {
    append_quoted(out, display_name);
    out.push_back(' ');
  }
  out.push_back('<');
  uri.append_to(out);
  out.push_back('>');
  append_params(out, params);
}

std::string NameAddr::str() const {
  std::string out;
  append_to(out);
  return out;
}

}  // namespace fedgate::sip
