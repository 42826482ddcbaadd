// SUBSCRIBE / NOTIFY ↔ neutral subscriptions (RFC 6665 §4, RFC 8048 §5/§7, MS-PRES batchSub).
#include "sip/bridge/convert_subscription.hpp"

#include <algorithm>
#include <charconv>
#include <utility>

#include "sip/bridge/convert_address.hpp"
#include "sip/bridge/convert_errc.hpp"
#include "sip/codec/batch_subscribe.hpp"

namespace fedgate::sip {
namespace {

using presence::SubscriptionAction;
using NeutralState = presence::SubscriptionState;

result<void> check_event(const MessageHeaders& m) {
  if (!m.event || m.event->package != "presence") {
    return make_error_code(ConvertErrc::bad_event);
  }
  return {};
}

bool has_option(const std::vector<std::string>& tags, std::string_view tag) {
  return std::any_of(tags.begin(), tags.end(), [&](const std::string& t) { return t == tag; });
}

std::optional<std::uint32_t> number_param(const sip::SubscriptionState& ss, std::string_view name) {
  auto text = param_value(ss.params, name);
  std::uint32_t n = 0;
  if (!text || std::from_chars(text->data(), text->data() + text->size(), n).ec != std::errc{}) {
    return std::nullopt;
  }
  return n;
}

NeutralState neutral_state(std::string_view s) {
  if (s == "active") return NeutralState::active;
  if (s == "terminated") return NeutralState::terminated;
  return NeutralState::pending;  // RFC 6665 §8.2.3: unknown values count as pending
}

}  // namespace

result<presence::SubscriptionRequest> subscription_from_subscribe(const Request& subscribe) {
  if (auto ok = check_event(subscribe); !ok) {
    return ok.error();
  }
  auto watcher = party_from(subscribe.from);
  auto presentity = address_from_uri(subscribe.to.uri);
  if (!watcher || !presentity) {
    return make_error_code(ConvertErrc::bad_address);
  }
  presence::SubscriptionRequest r;
  r.from = watcher->address.without_resource();
  r.to = presentity->without_resource();
  r.id = subscribe.call_id;
  if (subscribe.expires == 0u) {
    r.action = subscribe.to.tag() ? SubscriptionAction::cancel : SubscriptionAction::probe;
  }
  return r;
}

bool is_batch_subscribe(const Request& subscribe) {
  return has_option(subscribe.require, "adhoclist") && subscribe.content_type &&
         subscribe.content_type->is(kBatchSubscribeType);
}

result<std::vector<presence::SubscriptionRequest>> subscriptions_from_batch(
    const Request& subscribe) {
  if (auto ok = check_event(subscribe); !ok) {
    return ok.error();
  }
  if (!is_batch_subscribe(subscribe)) {
    return make_error_code(ConvertErrc::unsupported_media_type);
  }
  auto doc = parse_batch_subscribe(subscribe.body);
  auto watcher = party_from(subscribe.from);
  if (!doc) {
    return make_error_code(ConvertErrc::bad_body);
  }
  if (!watcher) {
    return watcher.error();
  }
  const auto action =
      doc->action == "unsubscribe" ? SubscriptionAction::cancel : SubscriptionAction::subscribe;
  std::vector<presence::SubscriptionRequest> out;
  for (const auto& uri : doc->resources) {
    if (auto to = address_from_document_uri(uri)) {
      out.push_back(
          {action, watcher->address.without_resource(), std::move(*to), subscribe.call_id});
    }
  }
  return out;
}

presence::WallTime expires_at(const SipSubscriptionStatus& s, presence::WallTime now) {
  return now + std::chrono::seconds(s.expires.value_or(0));
}

result<SipSubscriptionStatus> subscription_status_from_notify(const Request& notify) {
  if (auto ok = check_event(notify); !ok) {
    return ok.error();
  }
  if (!notify.subscription_state) {
    return make_error_code(ConvertErrc::missing_header);
  }
  auto presentity = address_from_uri(notify.from.uri);
  auto watcher = address_from_uri(notify.to.uri);
  if (!presentity || !watcher) {
    return make_error_code(ConvertErrc::bad_address);
  }
  const auto& ss = *notify.subscription_state;
  return SipSubscriptionStatus{watcher->without_resource(),
                               presentity->without_resource(),
                               neutral_state(ss.state),
                               ss.reason().value_or(""),
                               ss.expires(),
                               number_param(ss, "retry-after")};
}

std::string_view failure_reason(int status) {
  switch (status) {
    case 403:
    case 603:
      return "rejected";
    case 404:
    case 410:
    case 480:
    case 604:
      return "noresource";
    case 408:
      return "timeout";
    default:
      return "giveup";
  }
}

result<SipSubscriptionStatus> subscription_status_from_response(const Response& response) {
  auto watcher = address_from_uri(response.from.uri);
  auto presentity = address_from_uri(response.to.uri);
  if (!watcher || !presentity) {
    return make_error_code(ConvertErrc::bad_address);
  }
  SipSubscriptionStatus s{watcher->without_resource(),
                          presentity->without_resource(),
                          NeutralState::pending,
                          {},
                          response.expires,
                          std::nullopt};
  if (response.status >= 300) {
    s.state = NeutralState::terminated;
    s.reason = failure_reason(response.status);
    s.expires.reset();
  } else if (const auto& ss = response.subscription_state) {
    s.state = neutral_state(ss->state);
    s.reason = ss->reason().value_or("");
    s.expires = ss->expires() ? ss->expires() : response.expires;
  }
  return s;
}

std::optional<presence::SubscriptionRequest> request_from_status(const SipSubscriptionStatus& s,
                                                                 std::string id) {
  if (s.state == NeutralState::active) {
    return presence::SubscriptionRequest{SubscriptionAction::approve, s.presentity, s.watcher,
                                         std::move(id)};
  }
  const bool final_refusal = s.reason.empty() || s.reason == "rejected" ||
                             s.reason == "noresource" || s.reason == "invariant";
  if (s.state == NeutralState::terminated && final_refusal) {
    return presence::SubscriptionRequest{SubscriptionAction::deny, s.presentity, s.watcher,
                                         std::move(id)};
  }
  return std::nullopt;
}

SubState sub_state_for(NeutralState state) noexcept {
  switch (state) {
    case NeutralState::pending:
      return SubState::pending;
    case NeutralState::active:
    case NeutralState::polite_block:
      return SubState::active;
    case NeutralState::terminated:
      return SubState::terminated;
  }
  return SubState::terminated;
}

sip::SubscriptionState subscription_state_for(NeutralState state, std::uint32_t expires,
                                              std::string_view reason) {
  sip::SubscriptionState ss{std::string(to_string(sub_state_for(state))), {}};
  if (state == NeutralState::terminated) {
    if (!reason.empty()) {
      set_param(ss.params, "reason", std::string(reason));
    }
  } else {
    set_param(ss.params, "expires", std::to_string(expires));
  }
  return ss;
}

}  // namespace fedgate::sip
