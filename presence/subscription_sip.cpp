// SubscriptionMachine: the SIP side fedgate owns (RFC 6665 §4.1.2.1 refresh, §4.1.3 states,
// §4.2.2 NOTIFY), the refresh timer and start-up restore.
#include <algorithm>

#include "presence/subscription_machine.hpp"

namespace fedgate::presence {
namespace {

// RFC 6665 §4.1.3 reasons after which the subscription cannot simply be re-established.
bool final_reason(std::string_view reason) {
  return reason == "rejected" || reason == "noresource" || reason == "invariant";
}

}  // namespace

SubscriptionEffects SubscriptionMachine::on_sip_state(const SipSubscriptionEvent& e,
                                                      const PolicySnapshot& policy,
                                                      WallTime now) {
  SubscriptionEffects out;
  Subscription* s = lookup(e.watcher, e.presentity);
  if (s == nullptr || s->state == SubscriptionState::polite_block) {
    finish(out);
    return out;
  }
  if (e.state == SubscriptionState::terminated) {
    if (final_reason(e.reason)) {  // RFC 6665 §4.1.3: do not re-subscribe
      out.effects.push_back(SendSubscription{{SubscriptionAction::deny, s->presentity, s->watcher}});
      erase(*s, out);
    } else {  // deactivated, timeout, probation, a dead dialog: fedgate re-subscribes
      s->sip_dialog.clear();
      out.effects.push_back(RefreshSubscription{*s});
      schedule(*s, now + config_.retry_after);
    }
    finish(out);
    return out;
  }
  bool approved = e.state == SubscriptionState::active && s->state == SubscriptionState::pending;
  s->state = e.state;
  s->expires = e.expires;
  s->sip_dialog = e.sip_dialog;
  out.effects.push_back(SaveSubscription{*s});
  if (approved) {  // RFC 8048 §5.2.1 (F14): the watcher's side learns of the approval
    Address from = s->watcher_is_local ? s->presentity : policy.identity().outward(s->presentity);
    out.effects.push_back(SendSubscription{{SubscriptionAction::approve, from, s->watcher}});
  }
  schedule(*s, std::max(now, e.expires - config_.refresh_margin));
  finish(out);
  return out;
}

SubscriptionEffects SubscriptionMachine::on_wake(WallTime now) {
  SubscriptionEffects out;
  while (!refresh_at_.empty() && refresh_at_.begin()->first <= now) {
    Subscription* s = refresh_at_.begin()->second;
    out.effects.push_back(RefreshSubscription{*s});
    schedule(*s, now + config_.retry_after);  // until the answer moves expires on
  }
  finish(out);
  return out;
}

SubscriptionEffects SubscriptionMachine::restore(std::vector<Subscription> rows,
                                                 std::vector<Presence> cache,
                                                 const PolicySnapshot& policy, WallTime now) {
  SubscriptionEffects out;
  for (auto& p : cache) {
    std::string key{p.entity.bare()};
    presence_.insert_or_assign(std::move(key), std::move(p));
  }
  StringSet probed;
  for (auto& row : rows) {
    Subscription& s = insert(std::move(row));
    if (s.state == SubscriptionState::polite_block || s.state == SubscriptionState::terminated) {
      continue;
    }
    if (owns_sip_refresh(s, policy)) {  // a fresh SUBSCRIBE brings a NOTIFY at once
      out.effects.push_back(RefreshSubscription{s});
      schedule(s, now + config_.retry_after);
    } else if (!s.watcher_is_local && probed.insert(std::string{s.presentity.bare()}).second) {
      out.effects.push_back(
          SendSubscription{{SubscriptionAction::probe, s.watcher, s.presentity}});
    }
  }
  finish(out);
  return out;
}

}  // namespace fedgate::presence
