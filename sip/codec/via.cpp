// Via parsing and writing (RFC 3261 §20.42, §25.1; RFC 5118 §4.5).
#include "sip/codec/via.hpp"

#include "sip/codec/grammar.hpp"
#include "sip/codec/parse_error.hpp"
#include "sip/codec/parse_into.hpp"

namespace fedgate::sip {

using namespace grammar;

namespace detail {

bool parse_via_into(std::string_view text, Via& via) {
  Cursor c{text};
  c.skip_ws();
  std::string_view name = scan_token(c);
  if (name.empty() || !c.eat('/')) {
    return false;
  }
  std::string_view version = scan_token(c);
  if (version.empty() || !c.eat('/')) {
    return false;
  }
  std::string_view transport = scan_token(c);
  if (transport.empty()) {
    return false;
  }
  via.protocol_name.assign(name);
  via.protocol_version.assign(version);
  via.transport.assign(transport);
  for (char& ch : via.protocol_name) {
    ch = to_upper(ch);
  }
  for (char& ch : via.transport) {
    ch = to_upper(ch);
  }
  std::size_t before_ws = c.pos;
  c.skip_ws();
  if (c.pos == before_ws) {
    return false;
  }
  std::size_t start = c.pos;
  while (!c.done() && c.peek() != ';' && !is_ws(c.peek())) {
    ++c.pos;
  }
  if (!parse_host_port(c.s.substr(start, c.pos - start), via.host, via.port) ||
      !parse_header_params(c, via.params) || !c.done()) {
    return false;
  }
  return true;
}

}  // namespace detail

result<Via> Via::parse(std::string_view text) {
  result<Via> out(boost::system::in_place_value);
  if (!detail::parse_via_into(text, *out)) {
    out = make_error_code(ParseErrc::bad_via);
  }
  return out;
}

void Via::append_to(std::string& out) const {
  out += protocol_name;
  out.push_back('/');
  out += protocol_version;
  out.push_back('/');
  out += transport;
  out.push_back(' ');
  out += host;
  if (port) {
    out.push_back(':');
    append_decimal(out, *port);
  }
  append_params(out, params);
}

std::string Via::str() const {
  std::string out;
  append_to(out);
  return out;
}

}  // namespace fedgate::sip
