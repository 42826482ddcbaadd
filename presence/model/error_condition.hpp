// ErrorCondition: the neutral error vocabulary, taken from the XMPP stanza error conditions
// (RFC 6120 §8.3.3); StanzaError adds the diagnostic text (SIP Warning / ms-diagnostics).
// Owned by presence_model; plain values. The SIP mapping is presence/error_mapping (RFC 7247 §7).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace fedgate::presence {

enum class ErrorCondition {
  bad_request,
  conflict,
  feature_not_implemented,
  forbidden,
  gone,
  internal_server_error,
  item_not_found,
  jid_malformed,
  not_acceptable,
  not_allowed,
  not_authorized,
  policy_violation,
  recipient_unavailable,
  redirect,
  registration_required,
  remote_server_not_found,
  remote_server_timeout,
  resource_constraint,
  service_unavailable,
  subscription_required,
  undefined_condition,
  unexpected_request,
};

inline constexpr int kErrorConditionCount = 22;

// The element name on the wire: "bad-request", "remote-server-timeout", ...
std::string_view to_string(ErrorCondition c) noexcept;
std::optional<ErrorCondition> error_condition_from_string(std::string_view s) noexcept;

struct StanzaError {
  ErrorCondition condition = ErrorCondition::undefined_condition;
  std::string text;  // diagnostic text; never user content
  friend bool operator==(const StanzaError&, const StanzaError&) = default;
};

}  // namespace fedgate::presence
