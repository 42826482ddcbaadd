// RFC 6665 §4.1 subscriber behaviour and the MS-SIPRE piggy-backed first NOTIFY.
#include "sip/dialog/subscriber.hpp"

#include <algorithm>
#include <charconv>
#include <utility>

#include "gateway/base/bug.hpp"
#include "sip/codec/error_response.hpp"
#include "sip/dialog/subscriber_parts.hpp"

namespace fedgate::sip {
namespace {

constexpr Duration kDefaultRetry = seconds(60);

SubState parse_substate(const std::string& s) {
  if (s == "active") return SubState::active;
  if (s == "terminated") return SubState::terminated;
  return SubState::pending;  // "pending" and unknown values (§8.2.3: treat as pending)
}

std::optional<std::uint32_t> header_number(const HeaderList& h, std::string_view name) {
  const Header* found = find_header(h, name);
  std::uint32_t n = 0;
  if (found == nullptr ||
      std::from_chars(found->value.data(), found->value.data() + found->value.size(), n).ec !=
          std::errc{}) {
    return std::nullopt;
  }
  return n;
}

}  // namespace

std::optional<Duration> retry_delay(const SubscriptionState& ss) {
  const std::string reason = ss.reason().value_or("");
  if (reason == "rejected" || reason == "noresource" || reason == "invariant") {
    return std::nullopt;  // §4.1.3: do not re-subscribe
  }
  if (auto after = param_value(ss.params, "retry-after")) {
    std::uint32_t n = 0;
    if (std::from_chars(after->data(), after->data() + after->size(), n).ec == std::errc{}) {
      return seconds(n);
    }
  }
  if (reason == "deactivated" || reason == "timeout") {
    return Duration::zero();  // re-subscribe immediately
  }
  return kDefaultRetry;  // probation, giveup, no reason or unknown: later
}

Request Subscriber::make_subscribe(std::uint32_t expires, BranchGenerator& branches) {
  Working& w = work();
  const Shared& cfg = *shared_;
  Request r;
  if (w.dialog) {
    r = w.dialog->make_request(Method::subscribe, cfg.local.next_via(branches));
  } else {
    r.method = Method::subscribe;
    r.request_uri = w.target;
    r.via.push_back(cfg.local.next_via(branches));
    r.from = w.from;
    r.to = w.to;
    r.call_id = w.call_id;
    r.cseq = CSeq{1, Method::subscribe, {}};
    r.contact.push_back(cfg.local.contact);
    r.max_forwards = 70;
  }
  r.expires = expires;
  r.event = cfg.event;
  r.supported = cfg.supported;
  if (!cfg.accept.empty()) {
    std::string accept;
    for (const auto& a : cfg.accept) {
      accept += (accept.empty() ? "" : ", ") + a;
    }
    r.other.push_back({"Accept", std::move(accept)});
  }
  return r;
}

Request Subscriber::start(BranchGenerator& branches) {
  Settle settle{*this};
  Working& w = work();
  w.initial = make_subscribe(shared_->expires, branches);
  return *w.initial;
}

void Subscriber::schedule(std::uint32_t granted, TimePoint now) {
  const Duration life = seconds(granted);
  const Duration lead = std::min<Duration>(std::max<Duration>(life / 10, seconds(5)), life / 2);
  expires_at_ = now + life;
  refresh_at_ = expires_at_ - lead;
}

SubscriberActions Subscriber::end(int status, std::string reason, std::optional<Duration> retry) {
  SubscriberActions a;
  state_ = SubState::terminated;
  if (!ended_) {
    ended_ = true;
    a.ended = SubscriptionEnd{status, std::move(reason), retry};
  }
  return a;
}

SubscriberActions Subscriber::on_success(const Response& response, TimePoint now) {
  SubscriberActions a;
  Working& w = work();
  if (!w.dialog) {
    auto d = w.initial ? Dialog::from_uac(*w.initial, response)
                       : result<Dialog>(make_error_code(DialogErrc::not_dialog_creating));
    if (!d) {
      return end(response.status, "no_dialog", std::nullopt);
    }
    w.dialog = std::move(*d);
  }
  w.initial.reset();
  const std::uint32_t granted = response.expires.value_or(shared_->expires);
  if (granted == 0) {
    return a;  // the answer to an un-SUBSCRIBE: the terminating NOTIFY ends it
  }
  schedule(granted, now);
  a.wake_at = refresh_at_;
  if (response.content_type && response.subscription_state) {  // MS-SIPRE piggy-back
    state_ = parse_substate(response.subscription_state->state);
    a.notification = Notification{state_, Body{*response.content_type, response.body}};
    if (auto cseq = header_number(response.other, kPiggybackCseq)) {
      w.dialog->set_remote_cseq(*cseq);
    }
  }
  return a;
}

SubscriberActions Subscriber::on_response(const Response& response, TimePoint now) {
  if (ended_ || response.status < 200) {
    return {};
  }
  Settle settle{*this};
  if (response.status < 300) {
    return on_success(response, now);
  }
  if (has_dialog() && response.status != 481 && now < expires_at_) {
    SubscriberActions a;  // §4.1.2.2: a failed refresh leaves the subscription until expiry
    a.wake_at = expires_at_;
    return a;
  }
  std::optional<Duration> retry;
  if (response.status == 481) {
    retry = Duration::zero();
  } else if (auto after = header_number(response.other, "Retry-After")) {
    retry = seconds(*after);
  }
  return end(response.status, "refused", retry);
}

std::optional<DialogErrc> Subscriber::check_notify(const Request& notify, TimePoint now) {
  Working& w = work();
  if (!w.dialog && w.initial) {  // the NOTIFY overtook the 200 (RFC 6665 §4.1.2.4)
    if (auto d = Dialog::from_notify(*w.initial, notify)) {
      w.dialog = std::move(*d);
      expires_at_ = now + seconds(shared_->expires);
      refresh_at_ = expires_at_;  // the 200, when it comes, schedules the refresh
    }
  }
  if (!w.dialog) {
    return DialogErrc::unknown_dialog;
  }
  if (auto ok = w.dialog->on_request(notify); !ok) {
    return ok.error() == DialogErrc::cseq_out_of_order ? DialogErrc::cseq_out_of_order
                                                       : DialogErrc::unknown_dialog;
  }
  if (!notify.subscription_state || ended_) {
    return DialogErrc::terminated;
  }
  return std::nullopt;
}

SubscriberActions Subscriber::on_notify(const Request& notify, TimePoint now) {
  Settle settle{*this};
  SubscriberActions a;
  const bool benotify = notify.method == Method::benotify;
  if (auto e = check_notify(notify, now)) {
    if (!benotify) {
      a.respond = make_error_response(notify, status_for(*e), std::string(reason_for(*e)));
    }
    return a;
  }
  const SubscriptionState& ss = *notify.subscription_state;
  if (!benotify) {
    a.respond = work().dialog->make_response(notify, 200, "OK");
  }
  if (notify.content_type) {
    a.notification =
        Notification{parse_substate(ss.state), Body{*notify.content_type, notify.body}};
  }
  if (parse_substate(ss.state) == SubState::terminated) {
    auto e = end(0, ss.reason().value_or(""), retry_delay(ss));
    a.ended = std::move(e.ended);
    return a;
  }
  state_ = parse_substate(ss.state);
  if (auto expires = ss.expires(); expires && now + seconds(*expires) < expires_at_) {
    schedule(*expires, now);  // the notifier shortened the subscription (§4.1.2.2)
    a.wake_at = refresh_at_;
  }
  return a;
}

std::optional<Request> Subscriber::on_wake(TimePoint now, BranchGenerator& branches,
                                           SubscriberActions* expired) {
  if (ended_ || !has_dialog() || now < refresh_at_) {
    return std::nullopt;
  }
  Settle settle{*this};
  if (now >= expires_at_) {
    auto e = end(0, "timeout", Duration::zero());
    if (expired != nullptr) {
      *expired = std::move(e);
    }
    return std::nullopt;
  }
  refresh_at_ = expires_at_;  // one refresh per period; expiry is the next wake-up
  return make_subscribe(shared_->expires, branches);
}

Request Subscriber::unsubscribe(BranchGenerator& branches) {
  Settle settle{*this};
  refresh_at_ = expires_at_;  // no more refreshes; expiry ends it if no NOTIFY comes
  return make_subscribe(0, branches);
}

}  // namespace fedgate::sip
