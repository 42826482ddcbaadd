// Charset conversion, UTF-8 validation and HTML-to-text for the message conversions.
#include "sip/bridge/convert_text.hpp"

#include <array>
#include <charconv>
#include <cstdint>

namespace fedgate::sip {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    if (lower(a[i]) != lower(b[i])) {
      return false;
    }
  }
  return true;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// "&name;" or "&#N;" / "&#xN;" starting at html[i]; appends the character and returns the
// length consumed, or 0 when it is no reference (the '&' is then kept as text).
std::size_t reference(std::string_view html, std::size_t i, std::string& out) {
  const std::size_t end = html.find(';', i);
  if (end == std::string_view::npos || end - i > 10) {
    return 0;
  }
  const std::string_view name = html.substr(i + 1, end - i - 1);
  static constexpr std::array<std::pair<std::string_view, std::uint32_t>, 6> kNamed{
      {{"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''}, {"nbsp", 0xA0}}};
  for (auto [n, cp] : kNamed) {
    if (name == n) {
      append_utf8(out, cp);
      return end - i + 1;
    }
  }
  std::uint32_t cp = 0;
  const bool hex = name.starts_with("#x") || name.starts_with("#X");
  const std::string_view digits = name.substr(hex ? 2 : 1);
  if (!name.starts_with('#') || digits.empty() ||
      std::from_chars(digits.data(), digits.data() + digits.size(), cp, hex ? 16 : 10).ptr !=
          digits.data() + digits.size() ||
      cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    return 0;
  }
  append_utf8(out, cp);
  return end - i + 1;
}

// The tag starting at html[i] ('<'): appends a line break for <br> and </p>; returns its length.
std::size_t tag(std::string_view html, std::size_t i, std::string& out) {
  const std::size_t end = html.find('>', i);
  const std::size_t len = end == std::string_view::npos ? html.size() - i : end - i + 1;
  std::string name;
  for (std::size_t j = i + 1; j < i + len && name.size() < 3; ++j) {
    const char c = html[j];
    if (c == ' ' || c == '>' || (c == '/' && !name.empty())) {
      break;
    }
    name += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  }
  if (name == "br" || name == "/p") {
    out += '\n';
  }
  return len;
}

}  // namespace

bool is_valid_utf8(std::string_view s) noexcept {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    const std::size_t n = c < 0x80           ? 1
                          : (c >> 5) == 0x6  ? 2
                          : (c >> 4) == 0xE  ? 3
                          : (c >> 3) == 0x1E ? 4
                                             : 0;
    if (n == 0 || i + n > s.size()) {
      return false;
    }
    std::uint32_t cp = n == 1 ? c : c & (0x7F >> n);
    for (std::size_t k = 1; k < n; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) {
        return false;
      }
      cp = (cp << 6) | (cc & 0x3F);
    }
    static constexpr std::array<std::uint32_t, 5> kMin{0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += n;
  }
  return true;
}

std::optional<std::string> to_utf8(std::string_view bytes, std::string_view charset) {
  if (charset.empty() || iequals(charset, "utf-8") || iequals(charset, "utf8")) {
    return is_valid_utf8(bytes) ? std::optional<std::string>{bytes} : std::nullopt;
  }
  if (iequals(charset, "us-ascii")) {
    for (char c : bytes) {
      if (static_cast<unsigned char>(c) >= 0x80) {
        return std::nullopt;
      }
    }
    return std::string{bytes};
  }
  if (iequals(charset, "iso-8859-1") || iequals(charset, "latin1")) {
    std::string out;
    for (char c : bytes) {
      append_utf8(out, static_cast<unsigned char>(c));
    }
    return out;
  }
  return std::nullopt;
}

std::string html_to_text(std::string_view html) {
  std::string out;
  for (std::size_t i = 0; i < html.size();) {
    std::size_t used = 0;
    if (html[i] == '<') {
      used = tag(html, i, out);
    } else if (html[i] == '&') {
      used = reference(html, i, out);
    }
    if (used == 0) {
      out += html[i];
      used = 1;
    }
    i += used;
  }
  return out;
}

}  // namespace fedgate::sip
