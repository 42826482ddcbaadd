// Address normalisation and validation (see address.hpp for the rules).
#include "presence/model/address.hpp"

#include <algorithm>

namespace fedgate::presence {
namespace {

char ascii_lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; }

bool is_control_or_space(unsigned char c) noexcept { return c <= 0x20 || c == 0x7f; }

bool valid_label_char(unsigned char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c >= 0x80;
}

Expected<std::string, AddressErrc> check_local(std::string_view local) {
  if (local.empty()) {
    return AddressErrc::missing_local;
  }
  if (local.size() > Address::kMaxPartBytes) {
    return AddressErrc::too_long;
  }
  std::string out;
  out.reserve(local.size());
  for (char c : local) {
    auto u = static_cast<unsigned char>(c);
    if (is_control_or_space(u) || c == '@' || c == '/') {
      return AddressErrc::bad_local;
    }
    out.push_back(ascii_lower(c));
  }
  return out;
}

}  // namespace

std::string_view to_string(AddressErrc e) noexcept {
  switch (e) {
    case AddressErrc::empty:
      return "empty";
    case AddressErrc::missing_local:
      return "missing_local";
    case AddressErrc::bad_local:
      return "bad_local";
    case AddressErrc::bad_domain:
      return "bad_domain";
    case AddressErrc::bad_resource:
      return "bad_resource";
    case AddressErrc::too_long:
      return "too_long";
    case AddressErrc::bad_percent:
      return "bad_percent";
    case AddressErrc::bad_escape:
      return "bad_escape";
    case AddressErrc::bad_scheme:
      return "bad_scheme";
    case AddressErrc::not_representable:
      return "not_representable";
  }
  return "unknown";
}

Expected<std::string, AddressErrc> Address::normalise_domain(std::string_view domain) {
  if (!domain.empty() && domain.back() == '.') {
    domain.remove_suffix(1);
  }
  if (domain.empty()) {
    return AddressErrc::bad_domain;
  }
  if (domain.size() > 253) {
    return AddressErrc::too_long;
  }
  std::string out(domain.size(), '\0');
  std::transform(domain.begin(), domain.end(), out.begin(), ascii_lower);
  std::size_t label = 0;
  for (char c : out) {
    if (c == '.') {
      if (label == 0) {
        return AddressErrc::bad_domain;
      }
      label = 0;
      continue;
    }
    if (!valid_label_char(static_cast<unsigned char>(c)) || ++label > 63) {
      return AddressErrc::bad_domain;
    }
  }
  if (out.front() == '-' || out.back() == '-') {
    return AddressErrc::bad_domain;
  }
  return out;
}

Expected<Address, AddressErrc> Address::make(std::string_view local, std::string_view domain,
                                             std::string_view resource) {
  auto l = check_local(local);
  if (!l) {
    return l.error();
  }
  auto d = normalise_domain(domain);
  if (!d) {
    return d.error();
  }
  if (resource.size() > kMaxPartBytes) {
    return AddressErrc::too_long;
  }
  for (char c : resource) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      return AddressErrc::bad_resource;
    }
  }
  Address a;
  a.text_ = l.value();
  a.at_ = static_cast<std::uint16_t>(a.text_.size());
  a.text_ += '@';
  a.text_ += d.value();
  if (!resource.empty()) {
    a.slash_ = static_cast<std::uint16_t>(a.text_.size());
    a.text_ += '/';
    a.text_ += resource;
  }
  return a;
}

Expected<Address, AddressErrc> Address::parse(std::string_view text) {
  if (text.empty()) {
    return AddressErrc::empty;
  }
  std::string_view resource;
  if (auto slash = text.find('/'); slash != std::string_view::npos) {
    resource = text.substr(slash + 1);
    text = text.substr(0, slash);
    if (resource.empty()) {
      return AddressErrc::bad_resource;
    }
  }
  auto at = text.find('@');
  if (at == std::string_view::npos) {
    return AddressErrc::missing_local;
  }
  return make(text.substr(0, at), text.substr(at + 1), resource);
}

std::string_view Address::local() const noexcept { return std::string_view{text_}.substr(0, at_); }

std::string_view Address::domain() const noexcept {
  if (text_.empty()) {
    return {};
  }
  std::size_t end = slash_ != 0 ? slash_ : text_.size();
  return std::string_view{text_}.substr(at_ + 1u, end - at_ - 1u);
}

std::string_view Address::resource() const noexcept {
  return slash_ != 0 ? std::string_view{text_}.substr(slash_ + 1u) : std::string_view{};
}

std::string_view Address::bare() const noexcept {
  return slash_ != 0 ? std::string_view{text_}.substr(0, slash_) : std::string_view{text_};
}

Address Address::without_resource() const {
  Address a = *this;
  if (a.slash_ != 0) {
    a.text_.resize(a.slash_);
    a.slash_ = 0;
  }
  return a;
}

}  // namespace fedgate::presence
