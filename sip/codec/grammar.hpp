// RFC 3261 §25.1 character classes and small scanners shared by the sip_codec parsers.
// Owned by sip_codec; internal (not for other modules). Pure functions, any thread.
// Covers LWS/SWS, token, quoted-string (§25.1) and %HEX escapes (§19.1.2).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sip/codec/param.hpp"

namespace fedgate::sip::grammar {

enum CharClass : std::uint16_t {
  kAlnum = 1 << 0,
  kTokenMark = 1 << 1,       // -.!%*_+`'~
  kUnreservedMark = 1 << 2,  // -_.!~*'()
  kUserExtra = 1 << 3,       // &=+$,;?/
  kPasswordExtra = 1 << 4,   // &=+$,
  kParamExtra = 1 << 5,      // []/:&+$
  kHeaderExtra = 1 << 6,     // []/?:+$
  kWordExtra = 1 << 7,       // ()<>:\"/[]?{}  (plus token marks)
  kHex = 1 << 8,
};

constexpr std::array<std::uint16_t, 256> make_table() {
  std::array<std::uint16_t, 256> t{};
  auto add = [&t](std::string_view chars, std::uint16_t bit) {
    for (char c : chars) {
      t[static_cast<unsigned char>(c)] |= bit;
    }
  };
  for (int c = 0; c < 256; ++c) {
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      t[c] |= kAlnum;
    }
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) {
      t[c] |= kHex;
    }
  }
  add("-.!%*_+`'~", kTokenMark);
  add("-_.!~*'()", kUnreservedMark);
  add("&=+$,;?/", kUserExtra);
  add("&=+$,", kPasswordExtra);
  add("[]/:&+$", kParamExtra);
  add("[]/?:+$", kHeaderExtra);
  add("()<>:\\\"/[]?{}", kWordExtra);
  return t;
}

inline constexpr std::array<std::uint16_t, 256> kTable = make_table();

inline bool has(char c, std::uint16_t classes) {
  return (kTable[static_cast<unsigned char>(c)] & classes) != 0;
}
inline bool is_token_char(char c) { return has(c, kAlnum | kTokenMark); }
inline bool is_unreserved(char c) { return has(c, kAlnum | kUnreservedMark); }
inline bool is_word_char(char c) { return has(c, kAlnum | kTokenMark | kWordExtra); }
inline bool is_hex(char c) { return has(c, kHex); }
inline bool is_ws(char c) { return c == ' ' || c == '\t'; }
inline bool is_digit(char c) { return c >= '0' && c <= '9'; }

inline char to_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }
inline char to_upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c; }
void lower_in_place(std::string& s);
bool iequals(std::string_view a, std::string_view b);

// A read position over one header value (already unfolded: no CR or LF inside).
struct Cursor {
  std::string_view s;
  std::size_t pos = 0;

  bool done() const { return pos >= s.size(); }
  char peek() const { return pos < s.size() ? s[pos] : '\0'; }
  void skip_ws() {
    while (pos < s.size() && is_ws(s[pos])) {
      ++pos;
    }
  }
  // Consumes c (with optional whitespace around it, SWS) and reports whether it was there.
  bool eat(char c) {
    std::size_t save = pos;
    skip_ws();
    if (peek() == c) {
      ++pos;
      skip_ws();
      return true;
    }
    pos = save;
    return false;
  }
  std::string_view rest() const { return s.substr(pos < s.size() ? pos : s.size()); }
};

// token (RFC 3261 §25.1); empty when there is none.
std::string_view scan_token(Cursor& c);
// quoted-string starting at '"': returns false when unterminated or malformed. `decoded`
// receives the content with quoted-pairs resolved; `raw` (optional) the bytes incl. quotes.
bool scan_quoted(Cursor& c, std::string* decoded, std::string_view* raw);
// Writes s as a quoted-string, escaping what qdtext does not allow.
void append_quoted(std::string& out, std::string_view s);
// Appends n in decimal (no temporary string).
void append_decimal(std::string& out, std::uint64_t n);
// 1*DIGIT into a 64-bit value; false on no digits or overflow past 2^63.
bool scan_digits(Cursor& c, std::uint64_t& value);
// Splits on commas that are outside quotes and angle brackets. Returns false on an empty element.
template <class F>
bool for_each_comma_item(std::string_view value, F&& f);

// %HEX HEX canonical form for URI components (RFC 3261 §19.1.4): an escaped unreserved
// character is decoded; other escapes are kept with upper-case hex. Characters outside
// `allowed` (plus unreserved) and malformed escapes make it fail.
bool canonical_escapes(std::string_view in, std::uint16_t allowed, std::string& out);

template <class F>
bool for_each_comma_item(std::string_view value, F&& f) {
  std::size_t start = 0;
  bool in_quote = false;
  bool in_angle = false;
  for (std::size_t i = 0; i <= value.size(); ++i) {
    char ch = i < value.size() ? value[i] : ',';
    if (in_quote) {
      if (ch == '\\' && i + 1 < value.size()) {
        ++i;
      } else if (ch == '"') {
        in_quote = false;
      }
      continue;
    }
    if (ch == '"') {
      in_quote = true;
    } else if (ch == '<') {
      in_angle = true;
    } else if (ch == '>') {
      in_angle = false;
    } else if (ch == ',' && (!in_angle || i == value.size())) {
      std::string_view item = value.substr(start, i - start);
      while (!item.empty() && is_ws(item.front())) {
        item.remove_prefix(1);
      }
      while (!item.empty() && is_ws(item.back())) {
        item.remove_suffix(1);
      }
      if (item.empty() || !f(item)) {
        return false;
      }
      start = i + 1;
    }
  }
  return !in_quote;
}

}  // namespace fedgate::sip::grammar

namespace fedgate::sip::grammar {

// host = hostname / IPv4address / IPv6reference (RFC 3261 §25.1, RFC 5118 §4.10 tolerated),
// written lower-case into `host`.
bool parse_host(std::string_view in, std::string& host);
// host [":" port] where port is 0..65535.
bool parse_host_port(std::string_view in, std::string& host, std::optional<std::uint16_t>& port);
// Header parameters: *(SEMI generic-param) with SWS around ';' and '='; names lower-cased;
// values token / host / quoted-string, kept as received. Stops at the end or at a ','.
bool parse_header_params(Cursor& c, Params& out);

}  // namespace fedgate::sip::grammar
