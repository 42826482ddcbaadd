// The Subscription-State header (RFC 6665 §8.2.3): active / pending / terminated with
// expires, reason and retry-after. Owned by sip_codec; plain value, any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "sip/codec/param.hpp"

namespace fedgate::sip {

struct SubscriptionState {
  std::string state;  // lower-case substate-value: "active", "pending", "terminated", ...
  Params params;

  std::optional<std::uint32_t> expires() const;
  std::optional<std::string> reason() const { return param_value(params, "reason"); }
  friend bool operator==(const SubscriptionState&, const SubscriptionState&) = default;
};

}  // namespace fedgate::sip
