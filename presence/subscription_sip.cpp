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
                                                      const PolicySnapshot& policy, WallTime now) {
  SubscriptionEffects out;
  const Entry* s = lookup(e.watcher, e.presentity);
  if (s == nullptr || s->d.state == SubscriptionState::polite_block) {
    finish(out);
    return out;
  }
  if (e.state == SubscriptionState::terminated) {
    on_sip_terminated(*s, e, now, out);
    finish(out);
    return out;
  }
  on_sip_accepted(*s, e, policy, out);
  schedule(*s, std::max(now, e.expires - config_.refresh_margin));
  finish(out);
  return out;
}

void SubscriptionMachine::on_sip_terminated(const Entry& s, const SipSubscriptionEvent& e,
                                            WallTime now, SubscriptionEffects& out) {
  if (final_reason(e.reason)) {  // RFC 6665 §4.1.3: do not re-subscribe
    out.effects.push_back(SendSubscription{{SubscriptionAction::deny, e.presentity, e.watcher}});
    erase(s, out);
    return;
  }
  s.d.sip_dialog.clear();  // deactivated, timeout, probation, a dead dialog: re-subscribe
  out.effects.push_back(RefreshSubscription{to_subscription(s)});
  schedule(s, now + config_.retry_after);
}

// Whether a 2xx / NOTIFY changes what is stored of `d`: its state, its dialog, a row never
// saved (id 0: a failed save is tried again), or an expiry moved by more than `slack`. Every
// NOTIFY reports a fresh expiry; saving each would cost a store commit per presence update.
// A stale stored expiry is harmless: nothing reads it while running (the refresh timer is
// set from the event itself), and restore() re-SUBSCRIBEs every SIP subscription it owns at
// once, whose answer brings the real expiry.
bool SubscriptionMachine::changes_stored(const Data& d, const SipSubscriptionEvent& e) const {
  auto moved = e.expires > d.expires ? e.expires - d.expires : d.expires - e.expires;
  return d.id == 0 || d.state != e.state || d.sip_dialog != e.sip_dialog ||
         moved > config_.expires_slack;
}

// A 2xx or NOTIFY with pending/active: store the dialog; pending → active is the approval.
void SubscriptionMachine::on_sip_accepted(const Entry& s, const SipSubscriptionEvent& e,
                                          const PolicySnapshot& policy, SubscriptionEffects& out) {
  bool approved = e.state == SubscriptionState::active && s.d.state == SubscriptionState::pending;
  if (changes_stored(s.d, e)) {
    s.d.state = e.state;
    s.d.expires = e.expires;
    s.d.sip_dialog = e.sip_dialog;
    out.effects.push_back(SaveSubscription{to_subscription(s)});
  }
  if (approved) {  // RFC 8048 §5.2.1 (F14): the watcher's side learns of the approval
    Address presentity = e.presentity.without_resource();
    Address from = s.d.watcher_is_local ? presentity : policy.identity().outward(presentity);
    out.effects.push_back(
        SendSubscription{{SubscriptionAction::approve, from, e.watcher.without_resource()}});
  }
}

SubscriptionEffects SubscriptionMachine::on_wake(WallTime now) {
  SubscriptionEffects out;
  while (!refresh_at_.empty() && refresh_at_.begin()->first <= now) {
    const Entry* s = refresh_at_.begin()->second;
    out.effects.push_back(RefreshSubscription{to_subscription(*s)});
    schedule(*s, now + std::max(config_.retry_after, std::chrono::seconds{1}));  // until answered
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
    restore_one(std::move(row), policy, now, probed, out);
  }
  finish(out);
  return out;
}

void SubscriptionMachine::restore_one(Subscription row, const PolicySnapshot& policy, WallTime now,
                                      StringSet& probed, SubscriptionEffects& out) {
  const Entry& e = insert(row);
  if (row.state == SubscriptionState::polite_block || row.state == SubscriptionState::terminated) {
    return;
  }
  if (owns_sip_refresh(e, policy)) {  // a fresh SUBSCRIBE brings a NOTIFY at once
    out.effects.push_back(RefreshSubscription{std::move(row)});
    schedule(e, now + config_.retry_after);
  } else if (!row.watcher_is_local && probed.insert(std::string{row.presentity.bare()}).second) {
    out.effects.push_back(
        SendSubscription{{SubscriptionAction::probe, row.watcher, row.presentity}});
  }
}

}  // namespace fedgate::presence
