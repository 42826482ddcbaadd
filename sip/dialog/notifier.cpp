// RFC 6665 §4.2 notifier behaviour, with the MS-SIPRE piggy-backed first NOTIFY and BENOTIFY.
#include "sip/dialog/notifier.hpp"

#include <algorithm>
#include <chrono>
#include <utility>

#include "sip/dialog/interned.hpp"
#include "sip/dialog/notifier_parts.hpp"

namespace fedgate::sip {
namespace {

SubscriptionState substate(SubState s, std::uint32_t expires) {
  SubscriptionState ss{std::string(to_string(s)), {}};
  set_param(ss.params, "expires", std::to_string(expires));
  return ss;
}

}  // namespace

result<Notifier> Notifier::create(const Request& subscribe, std::string_view local_tag,
                                  LocalEndpoint local, std::uint32_t max_expires, TimePoint now) {
  if (!subscribe.event || subscribe.event->package.empty()) {
    return make_error_code(DialogErrc::bad_event);
  }
  auto dialog = Dialog::from_uas(subscribe, local_tag, local.contact);
  if (!dialog) {
    return dialog.error();
  }
  Notifier n{intern(Shared{std::move(local), *subscribe.event, max_expires}), std::move(*dialog)};
  n.benotify_ok_ = supports(subscribe, kBenotifyTag);
  n.piggyback_ok_ = supports(subscribe, kPiggybackTag);
  n.grant(subscribe, now);
  return n;
}

std::uint32_t Notifier::grant(const Request& subscribe, TimePoint now) {
  const std::uint32_t max = shared_->max_expires;
  const std::uint32_t granted = std::min(subscribe.expires.value_or(max), max);
  expires_at_ = now + seconds(granted);
  return granted;
}

std::uint32_t Notifier::remaining(TimePoint now) const {
  if (now >= expires_at_) {
    return 0;
  }
  return static_cast<std::uint32_t>(std::chrono::duration_cast<seconds>(expires_at_ - now).count());
}

Response Notifier::accept(const Request& subscribe, SubState state, std::optional<Body> first) {
  Settle settle{*this};
  state_ = state;
  Response r = work().make_response(subscribe, 200, "OK");
  const std::uint32_t max = shared_->max_expires;
  const std::uint32_t granted = subscribe.expires ? std::min(*subscribe.expires, max) : max;
  r.expires = granted;
  if (first && piggyback_ok_) {
    r.event = shared_->event;
    r.subscription_state = substate(state, granted);
    r.other.push_back({std::string(kPiggybackCseq), std::to_string(work().next_local_cseq())});
    r.supported.emplace_back(kPiggybackTag);
    attach_body(r, std::move(*first));
    piggybacked_ = true;
  }
  return r;
}

Request Notifier::make_notify(Method method, SubscriptionState ss, std::optional<Body> body,
                              BranchGenerator& branches) {
  Request r = work().make_request(method, shared_->local.next_via(branches));
  r.event = shared_->event;
  r.subscription_state = std::move(ss);
  if (body) {
    attach_body(r, std::move(*body));
  }
  return r;
}

Request Notifier::notify(SubState state, std::optional<Body> body, BranchGenerator& branches,
                         TimePoint now, bool best_effort) {
  Settle settle{*this};
  state_ = state;
  const Method m = best_effort && benotify_ok_ ? Method::benotify : Method::notify;
  return make_notify(m, substate(state, remaining(now)), std::move(body), branches);
}

Request Notifier::terminate(std::string_view reason, std::optional<Body> body,
                            BranchGenerator& branches, std::optional<std::uint32_t> retry_after) {
  Settle settle{*this};
  state_ = SubState::terminated;
  SubscriptionState ss{"terminated", {}};
  if (!reason.empty()) {
    set_param(ss.params, "reason", std::string(reason));
  }
  if (retry_after) {
    set_param(ss.params, "retry-after", std::to_string(*retry_after));
  }
  return make_notify(Method::notify, std::move(ss), std::move(body), branches);
}

result<NotifierReply> Notifier::on_subscribe(const Request& subscribe, BranchGenerator& branches,
                                             TimePoint now) {
  if (state_ == SubState::terminated) {
    return make_error_code(DialogErrc::terminated);
  }
  Settle settle{*this};
  if (auto ok = work().on_request(subscribe); !ok) {
    return ok.error();
  }
  NotifierReply reply{work().make_response(subscribe, 200, "OK"), std::nullopt};
  reply.response.expires = grant(subscribe, now);
  if (*reply.response.expires == 0) {
    reply.notify = terminate("timeout", std::nullopt, branches);
  }
  return reply;
}

std::optional<Request> Notifier::on_wake(TimePoint now, BranchGenerator& branches) {
  if (state_ == SubState::terminated || now < expires_at_) {
    return std::nullopt;
  }
  return terminate("timeout", std::nullopt, branches);
}

}  // namespace fedgate::sip
