// FederationIdentity: "email address for federation" — the identity partners see, in both
// protocols. Built once per PolicySnapshot (immutable, owned by it); pure, any executor.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "presence/model/address.hpp"
#include "presence/policy_rows.hpp"
#include "presence/string_hash.hpp"

// The exact rules (what administrators can rely on):
//  * outward(native): email-for-federation on and the user has an email → the email address
//    (resource kept); otherwise the native address unchanged.
//  * inward(addressed): the address a partner used → the native local address:
//      - it is some user's email → that user's native address (resource kept);
//      - it is the native address of a user who HAS an email while the setting is on →
//        refused with IdentityRefusal::old_native_address: the request is dropped (nothing
//        reaches the user; the partner gets no hint that the address ever existed);
//      - anything else (setting off, user without email, unknown user) → unchanged.
//  * The domain of an email address must also be listed as a local domain, or the router
//    never sees traffic for it (classification is by local_domains only).
namespace fedgate::presence {

enum class IdentityRefusal { old_native_address };

class FederationIdentity {
 public:
  FederationIdentity() = default;
  FederationIdentity(const Settings& settings, const std::vector<UserRow>& users);

  Address outward(const Address& native) const;
  Expected<Address, IdentityRefusal> inward(const Address& addressed) const;
  // False only for users listed with federation_enabled = false.
  bool federation_enabled(const Address& native) const;
  bool email_for_federation() const noexcept { return enabled_; }
  std::size_t rejected_rows() const noexcept { return rejected_rows_; }

 private:
  static Address with_bare(const Address& bare, const Address& resource_from);

  bool enabled_ = false;
  StringMap<Address> email_by_native_;  // bare native → bare email
  StringMap<Address> native_by_email_;  // bare email → bare native
  StringSet disabled_;                  // bare natives with federation_enabled = false
  std::size_t rejected_rows_ = 0;       // rows whose address or email did not parse
};

}  // namespace fedgate::presence
