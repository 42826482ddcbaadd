// String names of the model's small enums (stable tokens for logs, the store and tests).
#include <array>
#include <utility>

#include "presence/model/chat_session.hpp"
#include "presence/model/error_condition.hpp"
#include "presence/model/message.hpp"
#include "presence/model/subscription.hpp"

namespace fedgate::presence {
namespace {

constexpr std::array<std::string_view, kErrorConditionCount> kConditionNames{
    "bad-request",
    "conflict",
    "feature-not-implemented",
    "forbidden",
    "gone",
    "internal-server-error",
    "item-not-found",
    "jid-malformed",
    "not-acceptable",
    "not-allowed",
    "not-authorized",
    "policy-violation",
    "recipient-unavailable",
    "redirect",
    "registration-required",
    "remote-server-not-found",
    "remote-server-timeout",
    "resource-constraint",
    "service-unavailable",
    "subscription-required",
    "undefined-condition",
    "unexpected-request",
};

}  // namespace

std::string_view to_string(ErrorCondition c) noexcept {
  auto i = static_cast<std::size_t>(c);
  return i < kConditionNames.size() ? kConditionNames[i] : "undefined-condition";
}

std::optional<ErrorCondition> error_condition_from_string(std::string_view s) noexcept {
  for (std::size_t i = 0; i < kConditionNames.size(); ++i) {
    if (kConditionNames[i] == s) {
      return static_cast<ErrorCondition>(i);
    }
  }
  return std::nullopt;
}

std::string_view to_string(SubscriptionState s) noexcept {
  switch (s) {
    case SubscriptionState::pending:
      return "pending";
    case SubscriptionState::active:
      return "active";
    case SubscriptionState::polite_block:
      return "polite_block";
    case SubscriptionState::terminated:
      return "terminated";
  }
  return "unknown";
}

std::string_view to_string(ChatState s) noexcept {
  switch (s) {
    case ChatState::none:
      return "none";
    case ChatState::active:
      return "active";
    case ChatState::composing:
      return "composing";
    case ChatState::paused:
      return "paused";
    case ChatState::inactive:
      return "inactive";
    case ChatState::gone:
      return "gone";
  }
  return "unknown";
}

std::string_view to_string(ChatSessionState s) noexcept {
  switch (s) {
    case ChatSessionState::idle:
      return "idle";
    case ChatSessionState::inviting:
      return "inviting";
    case ChatSessionState::established:
      return "established";
    case ChatSessionState::closing:
      return "closing";
  }
  return "unknown";
}

}  // namespace fedgate::presence
