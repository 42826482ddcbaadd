// Email for federation: the identity partners see (rules in federation_identity.hpp).
#include "presence/federation_identity.hpp"

namespace fedgate::presence {

FederationIdentity::FederationIdentity(const Settings& settings, const std::vector<UserRow>& users)
    : enabled_(settings.email_for_federation) {
  for (const auto& row : users) {
    auto native = Address::parse(row.address);
    if (!native || native->has_resource()) {
      ++rejected_rows_;
      continue;
    }
    if (!row.federation_enabled) {
      disabled_.insert(native->str());
    }
    if (row.email.empty()) {
      continue;
    }
    auto email = Address::parse(row.email);
    if (!email || email->has_resource()) {
      ++rejected_rows_;
      continue;
    }
    email_by_native_.emplace(native->str(), *email);
    native_by_email_.emplace(email->str(), *native);
  }
}

Address FederationIdentity::with_bare(const Address& bare, const Address& resource_from) {
  if (!resource_from.has_resource()) {
    return bare;
  }
  auto a = Address::make(bare.local(), bare.domain(), resource_from.resource());
  return a ? a.value() : bare;
}

Address FederationIdentity::outward(const Address& native) const {
  if (!enabled_) {
    return native;
  }
  auto it = email_by_native_.find(native.bare());
  return it == email_by_native_.end() ? native : with_bare(it->second, native);
}

Expected<Address, IdentityRefusal> FederationIdentity::inward(const Address& addressed) const {
  if (!enabled_) {
    return addressed;
  }
  if (auto it = native_by_email_.find(addressed.bare()); it != native_by_email_.end()) {
    return with_bare(it->second, addressed);
  }
  if (email_by_native_.contains(addressed.bare())) {
    return IdentityRefusal::old_native_address;
  }
  return addressed;
}

bool FederationIdentity::federation_enabled(const Address& native) const {
  return !disabled_.contains(native.bare());
}

}  // namespace fedgate::presence
