// SIP URI ↔ neutral Address (RFC 7247 §6.4, §6.5; RFC 3261 §19.1.2 escapes).
#include "sip/bridge/convert_address.hpp"

#include <optional>

#include "sip/bridge/convert_errc.hpp"

namespace fedgate::sip {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    if (i + 2 >= s.size()) {
      return std::nullopt;
    }
    const int hi = hex_value(s[i + 1]);
    const int lo = hex_value(s[i + 2]);
    if (hi < 0 || lo < 0) {
      return std::nullopt;
    }
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

// RFC 3261 §25.1 user = 1*(unreserved / escaped / user-unreserved); ';', '?' and '/' are
// escaped anyway so no parser can take them for parameter or header separators.
bool keep_in_user(char c) {
  const bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  return alnum || std::string_view{"-_.!~*'()&=+$,"}.find(c) != std::string_view::npos;
}

std::string percent_encode_user(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : s) {
    if (keep_in_user(c)) {
      out += c;
    } else {
      const auto b = static_cast<unsigned char>(c);
      out += '%';
      out += kHex[b >> 4];
      out += kHex[b & 0x0f];
    }
  }
  return out;
}

// An IPv4 address or IPv6 reference: no domain to federate with (RFC 7247 §6).
bool is_ip_literal(std::string_view host) {
  return host.starts_with('[') || host.find_first_not_of("0123456789.") == std::string_view::npos;
}

}  // namespace

result<presence::Address> address_from_uri(const Uri& uri) {
  if (!uri.is_sip() || uri.user.empty() || is_ip_literal(uri.host)) {
    return make_error_code(ConvertErrc::bad_address);
  }
  auto local = percent_decode(uri.user);
  if (!local) {
    return make_error_code(ConvertErrc::bad_address);
  }
  auto address = presence::Address::make(*local, uri.host, uri.param("gr").value_or(""));
  if (!address) {
    return make_error_code(ConvertErrc::bad_address);
  }
  return std::move(address).value();
}

result<SipParty> party_from(const NameAddr& name_addr) {
  auto address = address_from_uri(name_addr.uri);
  if (!address) {
    return address.error();
  }
  return SipParty{std::move(*address), name_addr.display_name, name_addr.tag().value_or(""),
                  name_addr.epid().value_or("")};
}

result<presence::Address> address_from_document_uri(std::string_view text) {
  std::string uri_text{text};
  if (uri_text.starts_with("pres:")) {
    uri_text.replace(0, 5, "sip:");
  } else if (!uri_text.starts_with("sip:") && !uri_text.starts_with("sips:")) {
    uri_text.insert(0, "sip:");
  }
  auto uri = Uri::parse(uri_text);
  if (!uri) {
    return make_error_code(ConvertErrc::bad_address);
  }
  auto address = address_from_uri(*uri);
  if (!address) {
    return address.error();
  }
  return address->without_resource();
}

Uri uri_for(const presence::Address& address) {
  Uri uri;
  uri.scheme = "sip";
  uri.user = percent_encode_user(address.local());
  uri.host = std::string(address.domain());
  if (address.has_resource()) {
    set_param(uri.params, "gr", std::string(address.resource()));
  }
  return uri;
}

NameAddr name_addr_for(const presence::Address& address, std::string_view tag,
                       std::string_view epid) {
  NameAddr na;
  na.uri = uri_for(address);
  if (!tag.empty()) {
    set_param(na.params, "tag", std::string(tag));
  }
  if (!epid.empty()) {
    set_param(na.params, "epid", std::string(epid));
  }
  return na;
}

}  // namespace fedgate::sip
