// The field syntax of sip/dialog's compact serialized state: text fields separated by '\n'
// (SIP header values never contain a bare LF once parsed, RFC 3261 §7.3.1), so the result is
// NUL-free text for a PostgreSQL text column. Owned by sip_core; internal to sip/dialog.
#pragma once

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fedgate::sip::fields {

inline void put(std::string& out, std::string_view field) {
  for (char c : field) {
    out += c == '\n' ? ' ' : c;  // cannot happen for parsed values; never split a field
  }
  out += '\n';
}

inline void put_number(std::string& out, std::int64_t n) { put(out, std::to_string(n)); }

// The next field, removed from the front of `in`; nullopt when no '\n' is left.
inline std::optional<std::string_view> take(std::string_view& in) {
  const auto end = in.find('\n');
  if (end == std::string_view::npos) {
    return std::nullopt;
  }
  const std::string_view field = in.substr(0, end);
  in.remove_prefix(end + 1);
  return field;
}

template <class Int>
std::optional<Int> parse_number(std::string_view field) {
  Int n{};
  if (field.empty() || std::from_chars(field.data(), field.data() + field.size(), n).ptr !=
                           field.data() + field.size()) {
    return std::nullopt;
  }
  return n;
}

template <class Int>
std::optional<Int> take_number(std::string_view& in) {
  const auto field = take(in);
  return field ? parse_number<Int>(*field) : std::nullopt;
}

}  // namespace fedgate::sip::fields
