// RFC 3261 §25.1 scanners used by every sip_codec parser.
#include "sip/codec/grammar.hpp"

#include <algorithm>
#include <charconv>

namespace fedgate::sip::grammar {

void lower_in_place(std::string& s) {
  for (char& c : s) {
    c = to_lower(c);
  }
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (to_lower(a[i]) != to_lower(b[i])) {
      return false;
    }
  }
  return true;
}

std::string_view scan_token(Cursor& c) {
  std::size_t start = c.pos;
  while (c.pos < c.s.size() && is_token_char(c.s[c.pos])) {
    ++c.pos;
  }
  return c.s.substr(start, c.pos - start);
}

bool scan_quoted(Cursor& c, std::string* decoded, std::string_view* raw) {
  std::size_t start = c.pos;
  if (c.peek() != '"') {
    return false;
  }
  ++c.pos;
  while (c.pos < c.s.size()) {
    char ch = c.s[c.pos];
    if (ch == '"') {
      ++c.pos;
      if (raw != nullptr) {
        *raw = c.s.substr(start, c.pos - start);
      }
      return true;
    }
    if (ch == '\\') {
      if (c.pos + 1 >= c.s.size()) {
        return false;
      }
      ch = c.s[++c.pos];
    }
    if (decoded != nullptr) {
      decoded->push_back(ch);
    }
    ++c.pos;
  }
  return false;
}

void append_quoted(std::string& out, std::string_view s) {
  out.push_back('"');
  for (char ch : s) {
    auto u = static_cast<unsigned char>(ch);
    bool needs_escape = ch == '"' || ch == '\\' || (u < 0x20 && ch != '\t') || u == 0x7f;
    if (needs_escape) {
      out.push_back('\\');
    }
    out.push_back(ch);
  }
  out.push_back('"');
}

void append_decimal(std::string& out, std::uint64_t n) {
  char digits[20];
  auto [end, ec] = std::to_chars(digits, digits + sizeof(digits), n);
  out.append(digits, end);
}

bool scan_digits(Cursor& c, std::uint64_t& value) {
  std::size_t start = c.pos;
  value = 0;
  while (c.pos < c.s.size() && is_digit(c.s[c.pos])) {
    if (value > (std::uint64_t{1} << 59)) {
      return false;
    }
    value = value * 10 + static_cast<std::uint64_t>(c.s[c.pos] - '0');
    ++c.pos;
  }
  return c.pos > start;
}

namespace {
int hex_value(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  return to_lower(c) - 'a' + 10;
}
}  // namespace

bool canonical_escapes(std::string_view in, std::uint16_t allowed, std::string& out) {
  std::size_t plain = 0;
  while (plain < in.size() && (is_unreserved(in[plain]) || has(in[plain], allowed)) &&
         in[plain] != '%') {
    ++plain;
  }
  if (plain == in.size()) {  // the common case: nothing escaped
    out.assign(in);
    return true;
  }
  out.clear();
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    char ch = in[i];
    if (ch == '%') {
      if (i + 2 >= in.size() || !is_hex(in[i + 1]) || !is_hex(in[i + 2])) {
        return false;
      }
      auto decoded = static_cast<char>(hex_value(in[i + 1]) * 16 + hex_value(in[i + 2]));
      if (is_unreserved(decoded)) {
        out.push_back(decoded);
      } else {
        out.push_back('%');
        out.push_back(to_upper(in[i + 1]));
        out.push_back(to_upper(in[i + 2]));
      }
      i += 2;
    } else if (is_unreserved(ch) || has(ch, allowed)) {
      out.push_back(ch);
    } else {
      return false;
    }
  }
  return true;
}

}  // namespace fedgate::sip::grammar

namespace fedgate::sip::grammar {
namespace {

bool valid_ipv6_reference(std::string_view in) {
  // "[" IPv6address "]": hex digits, ':' and an optional dotted IPv4 tail. RFC 5118 §4.10
  // asks implementations to tolerate the RFC 3261 ABNF's three-colon form too.
  if (in.size() < 4 || in.size() > 47 || in.front() != '[' || in.back() != ']') {
    return false;
  }
  int colons = 0;
  for (char ch : in.substr(1, in.size() - 2)) {
    if (ch == ':') {
      ++colons;
    } else if (!is_hex(ch) && ch != '.') {
      return false;
    }
  }
  return colons >= 2 && colons <= 8;
}

}  // namespace

bool parse_host(std::string_view in, std::string& host) {
  if (in.empty()) {
    return false;
  }
  if (in.front() == '[') {
    if (!valid_ipv6_reference(in)) {
      return false;
    }
  } else {
    for (char ch : in) {
      if (!has(ch, kAlnum) && ch != '-' && ch != '.' && ch != '_') {
        return false;
      }
    }
    if (in.front() == '.' || in.front() == '-' || in.find("..") != std::string_view::npos) {
      return false;
    }
  }
  host.assign(in);
  lower_in_place(host);
  return true;
}

bool parse_host_port(std::string_view in, std::string& host,
                     std::optional<std::uint16_t>& port) {
  std::size_t colon = std::string_view::npos;
  if (!in.empty() && in.front() == '[') {
    std::size_t close = in.find(']');
    if (close == std::string_view::npos) {
      return false;
    }
    if (close + 1 < in.size()) {
      if (in[close + 1] != ':') {
        return false;
      }
      colon = close + 1;
    }
  } else {
    colon = in.find(':');
  }
  if (!parse_host(in.substr(0, colon), host)) {
    return false;
  }
  port.reset();
  if (colon == std::string_view::npos) {
    return true;
  }
  Cursor c{in.substr(colon + 1)};
  std::uint64_t value = 0;
  if (!scan_digits(c, value) || !c.done() || value > 65535) {
    return false;
  }
  port = static_cast<std::uint16_t>(value);
  return true;
}

namespace {

// gen-value = token / host / quoted-string (RFC 3261 §25.1). IPv6 references are allowed
// with or without brackets (RFC 5118 §4.5).
bool scan_gen_value(Cursor& c, std::string& value) {
  if (c.peek() == '"') {
    std::string_view raw;
    if (!scan_quoted(c, nullptr, &raw)) {
      return false;
    }
    value.assign(raw);
    return true;
  }
  std::size_t start = c.pos;
  while (!c.done() && (is_token_char(c.peek()) || c.peek() == ':' || c.peek() == '[' ||
                       c.peek() == ']')) {
    ++c.pos;
  }
  value.assign(c.s.substr(start, c.pos - start));
  return !value.empty();
}

}  // namespace

bool parse_header_params(Cursor& c, Params& out) {
  if (out.empty()) {  // one allocation for the whole list (a ';' inside quotes over-counts)
    std::string_view rest = c.rest();
    out.reserve(static_cast<std::size_t>(std::count(rest.begin(), rest.end(), ';')));
  }
  while (true) {
    c.skip_ws();
    if (c.done() || c.peek() == ',') {
      return true;
    }
    if (!c.eat(';')) {
      return false;
    }
    std::string_view name = scan_token(c);
    if (name.empty()) {
      return false;
    }
    Param& p = out.emplace_back();  // in place; a failure fails the whole value
    p.name.assign(name);
    lower_in_place(p.name);
    if (c.eat('=') && !scan_gen_value(c, p.value.emplace())) {
      return false;
    }
  }
}

}  // namespace fedgate::sip::grammar
