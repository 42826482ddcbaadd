// Address: a normalised, protocol-neutral user address "local@domain" with an optional
// resource (XMPP resource, SIP GRUU "gr" parameter). Owned by presence_model; plain value.
// Normalisation happens once in make()/parse(); afterwards equality is string equality.
// Wire forms (SIP URI, JID escaping) are mapped by presence/address_mapping (RFC 7247 §6).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "presence/model/expected.hpp"

namespace fedgate::presence {

enum class AddressErrc {
  empty = 1,
  missing_local,     // "domain" alone where a user was required
  bad_local,         // control character, whitespace, '@' or '/' in the local part
  bad_domain,        // empty label, illegal character, IP literal
  bad_resource,      // control character in the resource
  too_long,          // a part longer than kMaxPartBytes
  bad_percent,       // malformed %XX in a SIP URI
  bad_escape,        // malformed \XX in a JID local part (XEP-0106)
  bad_scheme,        // not sip:/sips:/xmpp:
  not_representable  // the other protocol cannot carry this address (RFC 7247 §6)
};

std::string_view to_string(AddressErrc e) noexcept;

class Address {
 public:
  static constexpr std::size_t kMaxPartBytes = 1023;  // RFC 7622 §3.1 per-part limit

  // Rules: the domain is lowercased (ASCII), a trailing dot is removed, labels are
  // letters, digits, '-' or UTF-8 bytes; IP literals are refused. The local part is
  // lowercased (ASCII; Lync and XMPP nodeprep both compare case-insensitively) and may not
  // contain controls, whitespace, '@' or '/'. The resource is kept byte for byte.
  static Expected<Address, AddressErrc> make(std::string_view local, std::string_view domain,
                                             std::string_view resource = {});
  // "local@domain[/resource]"; a bare "domain" is refused (missing_local).
  static Expected<Address, AddressErrc> parse(std::string_view text);
  // A bare domain, validated and normalised like make()'s domain.
  static Expected<std::string, AddressErrc> normalise_domain(std::string_view domain);

  Address() = default;

  std::string_view local() const noexcept;
  std::string_view domain() const noexcept;
  std::string_view resource() const noexcept;
  bool has_resource() const noexcept { return slash_ != 0; }
  std::string_view bare() const noexcept;  // "local@domain"
  const std::string& full() const noexcept { return text_; }
  std::string str() const { return std::string{bare()}; }
  Address without_resource() const;
  bool empty() const noexcept { return text_.empty(); }

  friend bool operator==(const Address& a, const Address& b) noexcept { return a.text_ == b.text_; }
  friend auto operator<=>(const Address& a, const Address& b) noexcept {
    return a.text_ <=> b.text_;
  }

 private:
  std::string text_;         // "local@domain" or "local@domain/resource"
  std::uint16_t at_ = 0;     // index of '@'
  std::uint16_t slash_ = 0;  // index of '/', 0 when there is no resource
};

}  // namespace fedgate::presence

template <>
struct std::hash<fedgate::presence::Address> {
  std::size_t operator()(const fedgate::presence::Address& a) const noexcept {
    return std::hash<std::string>{}(a.full());
  }
};
