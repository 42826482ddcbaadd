// Subscription-State helpers (RFC 6665 §8.2.3).
#include "sip/codec/subscription_state.hpp"

#include <limits>

#include "sip/codec/grammar.hpp"

namespace fedgate::sip {

std::optional<std::uint32_t> SubscriptionState::expires() const {
  auto text = param_value(params, "expires");
  if (!text) {
    return std::nullopt;
  }
  grammar::Cursor c{*text};
  std::uint64_t value = 0;
  if (!grammar::scan_digits(c, value) || !c.done()) {
    return std::nullopt;
  }
  return static_cast<std::uint32_t>(
      std::min<std::uint64_t>(value, std::numeric_limits<std::uint32_t>::max()));
}

}  // namespace fedgate::sip
