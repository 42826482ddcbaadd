// SIP URI ↔ neutral Address ↔ JID (RFC 7247 §6, XEP-0106).
#include "presence/address_mapping.hpp"

#include <algorithm>
#include <array>
#include <optional>

namespace fedgate::presence {
namespace {

constexpr std::string_view kHex = "0123456789ABCDEF";

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

bool iequals_prefix(std::string_view s, std::string_view prefix) noexcept {
  if (s.size() < prefix.size()) {
    return false;
  }
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') {
      c = char(c - 'A' + 'a');
    }
    if (c != prefix[i]) {
      return false;
    }
  }
  return true;
}

// RFC 3261 §25.1: unreserved / user-unreserved characters that stay literal in a user part.
bool sip_user_literal(unsigned char c) noexcept {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
    return true;
  }
  return std::string_view{"-_.!~*'()&=+$,;?/"}.find(char(c)) != std::string_view::npos;
}

// XEP-0106 §3.2: the characters escaped in a localpart, and their escape codes.
constexpr std::array<std::pair<char, std::string_view>, 10> kJidEscapes{{
    {' ', "20"},
    {'"', "22"},
    {'&', "26"},
    {'\'', "27"},
    {'/', "2f"},
    {':', "3a"},
    {'<', "3c"},
    {'>', "3e"},
    {'@', "40"},
    {'\\', "5c"},
}};

std::optional<char> jid_unescape_at(std::string_view s, std::size_t i) noexcept {
  if (s[i] != '\\' || i + 2 >= s.size()) {
    return std::nullopt;
  }
  for (const auto& [ch, code] : kJidEscapes) {
    if (s.substr(i + 1, 2) == code) {
      return ch;
    }
  }
  return std::nullopt;
}

bool jid_forbidden_raw(char c) noexcept {
  return std::string_view{"\"&'/:<>@ "}.find(c) != std::string_view::npos;
}

Expected<Address, AddressErrc> not_representable_if_bad(Expected<Address, AddressErrc> a) {
  if (!a && a.error() == AddressErrc::bad_local) {
    return AddressErrc::not_representable;
  }
  return a;
}

// The percent-decoded value of the "gr" URI parameter (RFC 5627), empty when absent.
Expected<std::string, AddressErrc> gruu_param(std::string_view params) {
  while (!params.empty()) {
    auto next = params.find(';', 1);
    auto param = params.substr(1, next == std::string_view::npos ? next : next - 1);
    if (iequals_prefix(param, "gr=")) {
      return percent_decode(param.substr(3));
    }
    params = next == std::string_view::npos ? std::string_view{} : params.substr(next);
  }
  return std::string{};
}

}  // namespace

bool is_valid_utf8(std::string_view s) noexcept {
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    if (c >= 0x80) {
      if ((c >> 5) == 0x6) {
        n = 1;
      } else if ((c >> 4) == 0xE) {
        n = 2;
      } else if ((c >> 3) == 0x1E) {
        n = 3;
      } else {
        return false;
      }
      if (c == 0xC0 || c == 0xC1 || c > 0xF4 || i + n >= s.size()) {
        return false;
      }
    }
    for (std::size_t k = 1; k <= n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 0x2) {
        return false;
      }
    }
    i += n + 1;
  }
  return true;
}

Expected<std::string, AddressErrc> percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out.push_back(s[i]);
      continue;
    }
    if (i + 2 >= s.size()) {
      return AddressErrc::bad_percent;
    }
    int hi = hex_value(s[i + 1]);
    int lo = hex_value(s[i + 2]);
    if (hi < 0 || lo < 0) {
      return AddressErrc::bad_percent;
    }
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return out;
}

Expected<Address, AddressErrc> address_from_sip_uri(std::string_view uri) {
  if (iequals_prefix(uri, "sips:")) {
    uri.remove_prefix(5);
  } else if (iequals_prefix(uri, "sip:")) {
    uri.remove_prefix(4);
  } else {
    return AddressErrc::bad_scheme;
  }
  if (auto q = uri.find('?'); q != std::string_view::npos) {
    uri = uri.substr(0, q);
  }
  auto at = uri.find('@');
  if (at == std::string_view::npos) {
    return AddressErrc::missing_local;
  }
  auto user = uri.substr(0, at);
  user = user.substr(0, user.find(':'));  // drop a password
  auto rest = uri.substr(at + 1);
  auto host = rest.substr(0, rest.find(';'));
  host = host.substr(0, host.find(':'));  // drop the port
  auto gruu = gruu_param(rest.substr(host.size()));
  auto decoded = percent_decode(user);
  if (!gruu || !decoded) {
    return !gruu ? gruu.error() : decoded.error();
  }
  if (!is_valid_utf8(decoded.value()) || !is_valid_utf8(gruu.value())) {
    return AddressErrc::not_representable;
  }
  return not_representable_if_bad(Address::make(decoded.value(), host, gruu.value()));
}

std::string to_sip_uri(const Address& a) {
  std::string out = "sip:";
  for (char c : a.local()) {
    auto u = static_cast<unsigned char>(c);
    if (sip_user_literal(u)) {
      out.push_back(c);
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 0xF];
    }
  }
  out += '@';
  out += a.domain();
  if (a.has_resource()) {
    out += ";gr=";
    for (char c : a.resource()) {
      auto u = static_cast<unsigned char>(c);
      bool literal = sip_user_literal(u) && c != ';' && c != '?' && c != '&' && c != '=';
      out += literal ? std::string(1, c) : std::string{'%', kHex[u >> 4], kHex[u & 0xF]};
    }
  }
  return out;
}

Expected<Address, AddressErrc> address_from_jid(std::string_view jid) {
  if (iequals_prefix(jid, "xmpp:")) {
    jid.remove_prefix(5);
  }
  std::string_view resource;
  if (auto slash = jid.find('/'); slash != std::string_view::npos) {
    resource = jid.substr(slash + 1);
    jid = jid.substr(0, slash);
    if (resource.empty()) {
      return AddressErrc::bad_resource;
    }
  }
  auto at = jid.find('@');
  if (at == std::string_view::npos) {
    return AddressErrc::missing_local;
  }
  auto escaped = jid.substr(0, at);
  std::string local;
  for (std::size_t i = 0; i < escaped.size(); ++i) {
    if (auto ch = jid_unescape_at(escaped, i)) {
      local.push_back(*ch);
      i += 2;
    } else if (jid_forbidden_raw(escaped[i])) {
      return AddressErrc::bad_escape;  // RFC 7622 §3.3.1: not allowed raw in a localpart
    } else {
      local.push_back(escaped[i]);
    }
  }
  if (!is_valid_utf8(local) || !is_valid_utf8(resource)) {
    return AddressErrc::not_representable;
  }
  return not_representable_if_bad(Address::make(local, jid.substr(at + 1), resource));
}

std::string to_jid(const Address& a) {
  std::string out;
  auto local = a.local();
  for (std::size_t i = 0; i < local.size(); ++i) {
    char c = local[i];
    auto it = std::find_if(kJidEscapes.begin(), kJidEscapes.end(),
                           [c](const auto& e) { return e.first == c; });
    // XEP-0106 §4.2: a backslash is escaped only where it would read as an escape.
    bool escape = it != kJidEscapes.end() && (c != '\\' || jid_unescape_at(local, i));
    if (escape) {
      out += '\\';
      out += it->second;
    } else {
      out.push_back(c);
    }
  }
  out += '@';
  out += a.domain();
  if (a.has_resource()) {
    out += '/';
    out += a.resource();
  }
  return out;
}

}  // namespace fedgate::presence
