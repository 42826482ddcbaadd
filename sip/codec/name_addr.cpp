// name-addr / addr-spec parsing and writing (RFC 3261 §20.10, §25.1; RFC 4475 §3.1.1.6).
#include "sip/codec/name_addr.hpp"

#include "sip/codec/grammar.hpp"
#include "sip/codec/parse_error.hpp"

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
  auto uri = Uri::parse(c.s.substr(c.pos, close - c.pos));
  if (!uri) {
    return ParseErrc::bad_uri;
  }
  na.uri = std::move(*uri);
  c.pos = close + 1;
  if (!parse_header_params(c, na.params) || !c.done()) {
    return ParseErrc::bad_uri;
  }
  return {};
}

result<NameAddr> finish_angle(Cursor& c, NameAddr& na) {
  if (ParseErrc e = parse_angle(c, na); e != ParseErrc{}) {
    return make_error_code(e);
  }
  return std::move(na);
}

}  // namespace

result<NameAddr> NameAddr::parse(std::string_view text) {
  Cursor c{text};
  c.skip_ws();
  NameAddr na;
  if (c.peek() == '"') {
    if (!scan_quoted(c, &na.display_name, nullptr)) {
      return make_error_code(ParseErrc::bad_uri);
    }
    c.skip_ws();
    if (c.peek() != '<') {
      return make_error_code(ParseErrc::bad_uri);
    }
    return finish_angle(c, na);
  }
  if (c.peek() == '<' || scan_token_display(c, na.display_name)) {
    return finish_angle(c, na);
  }
  // addr-spec: the URI ends at the first ';' and may not hold '?' or ',' (RFC 3261 §20).
  std::string_view rest = c.rest();
  std::size_t semi = rest.find(';');
  std::string_view uri_text = rest.substr(0, semi);
  while (!uri_text.empty() && is_ws(uri_text.back())) {
    uri_text.remove_suffix(1);
  }
  if (uri_text.find_first_of("?,") != std::string_view::npos) {
    return make_error_code(ParseErrc::bad_uri);
  }
  auto uri = Uri::parse(uri_text);
  if (!uri) {
    return uri.error();
  }
  na.uri = std::move(*uri);
  if (semi != std::string_view::npos) {
    c.pos += semi;
    if (!parse_header_params(c, na.params) || !c.done()) {
      return make_error_code(ParseErrc::bad_uri);
    }
  }
  return na;
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
