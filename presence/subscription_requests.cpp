// SubscriptionMachine: requests and answers from either side, SIP-side state, refresh timer
// and restore. RFC 8048 §5.2/§5.3 (the flows), RFC 6665 §4.1.3 (states), RFC 6121 §3, §4.3.
#include "presence/subscription_machine.hpp"

namespace fedgate::presence {
namespace {

SubscriptionRequest answer(SubscriptionAction action, const Address& from, const Address& to,
                           const std::string& id) {
  return SubscriptionRequest{action, from, to, id};
}

}  // namespace

SubscriptionEffects SubscriptionMachine::on_request(const SubscriptionRequest& r,
                                                    const PolicySnapshot& policy, WallTime now) {
  SubscriptionEffects out;
  auto resolved = resolve_leg(r.from, r.to, policy);
  if (auto* refuse = std::get_if<Refuse>(&resolved)) {
    if (r.action == SubscriptionAction::subscribe || r.action == SubscriptionAction::probe) {
      out.effects.push_back(RefuseRequest{r, *refuse});  // refused without asking anyone
    }
  } else if (auto* discover = std::get_if<Discover>(&resolved)) {
    out.effects.push_back(std::move(*discover));
  } else if (auto* drop = std::get_if<Drop>(&resolved)) {
    out.effects.push_back(*drop);
  } else if (auto* leg = std::get_if<Leg>(&resolved)) {
    dispatch(*leg, r, policy, out);
  }
  (void)now;
  finish(out);
  return out;
}

void SubscriptionMachine::dispatch(const Leg& leg, const SubscriptionRequest& r,
                                   const PolicySnapshot& policy, SubscriptionEffects& out) {
  switch (r.action) {
    case SubscriptionAction::subscribe:
      return on_subscribe(leg, r, policy, out);
    case SubscriptionAction::approve:
      return on_approve(leg, policy, out);
    case SubscriptionAction::deny:
      return on_deny(leg, policy, out);
    case SubscriptionAction::cancel:
      return on_cancel(leg, policy, out);
    case SubscriptionAction::probe:
      return on_probe(leg, policy, out);
  }
}

// RFC 8048 §5.2.1 / §5.3.1, with issue 5's ordered checks for a remote watcher.
void SubscriptionMachine::on_subscribe(const Leg& leg, const SubscriptionRequest& r,
                                       const PolicySnapshot& policy, SubscriptionEffects& out) {
  const Address& watcher = leg.from;
  const Address& presentity = leg.to;
  if (const Entry* e = lookup(watcher, presentity); e != nullptr) {
    if (e->d.state != SubscriptionState::pending) {  // re-subscribe: re-affirm, answer again
      out.effects.push_back(
          SendSubscription{answer(SubscriptionAction::approve, r.to, r.from, r.id)});
      answer_from_cache(*e, policy, out);
    }
    return;
  }
  Subscription s{0, watcher.without_resource(), presentity.without_resource()};
  s.watcher_is_local = !leg.inbound;
  if (leg.inbound && answered_without_asking(s, r, policy, out)) {
    return;
  }
  insert(s);  // pending: ask the presentity's side
  out.effects.push_back(SaveSubscription{s});
  Address from = leg.inbound ? leg.from : policy.identity().outward(leg.from);
  out.effects.push_back(
      SendSubscription{answer(SubscriptionAction::subscribe, from, leg.to, r.id)});
}

// Issue 5's ordered checks for a remote watcher: refused (never asked) or politely blocked
// (accepted, offline forever, never asked). True when the request was answered here.
bool SubscriptionMachine::answered_without_asking(Subscription& s, const SubscriptionRequest& r,
                                                  const PolicySnapshot& policy,
                                                  SubscriptionEffects& out) {
  auto check = policy.check_incoming_subscription(s.watcher, s.presentity);
  if (check.verdict == SubscriptionVerdict::refuse) {
    out.effects.push_back(RefuseRequest{r, Refuse{ErrorCondition::forbidden, check.reason}});
    return true;
  }
  if (check.verdict != SubscriptionVerdict::polite_block) {
    return false;
  }
  s.state = SubscriptionState::polite_block;
  const Entry& stored = insert(s);
  out.effects.push_back(SaveSubscription{s});
  out.effects.push_back(SendSubscription{answer(SubscriptionAction::approve, r.to, r.from, r.id)});
  answer_from_cache(stored, policy, out);
  return true;
}

// The presentity (leg.from) approves the watcher (leg.to).
void SubscriptionMachine::on_approve(const Leg& leg, const PolicySnapshot& policy,
                                     SubscriptionEffects& out) {
  const Entry* e = lookup(leg.to, leg.from);
  if (e == nullptr || e->d.state != SubscriptionState::pending) {
    return;  // RFC 6121 §3.1.5: an unsolicited approval is ignored; polite blocks stay
  }
  e->d.state = SubscriptionState::active;
  out.effects.push_back(SaveSubscription{to_subscription(*e)});
  Address from = leg.inbound ? leg.from : policy.identity().outward(leg.from);
  out.effects.push_back(SendSubscription{answer(SubscriptionAction::approve, from, leg.to, "")});
  answer_from_cache(*e, policy, out);
}

// The presentity (leg.from) denies or revokes the watcher (leg.to).
void SubscriptionMachine::on_deny(const Leg& leg, const PolicySnapshot& policy,
                                  SubscriptionEffects& out) {
  const Entry* e = lookup(leg.to, leg.from);
  if (e == nullptr || e->d.state == SubscriptionState::polite_block) {
    return;  // the home was never asked about a polite block
  }
  Address from = leg.inbound ? leg.from : policy.identity().outward(leg.from);
  out.effects.push_back(SendSubscription{answer(SubscriptionAction::deny, from, leg.to, "")});
  erase(*e, out);
}

// The watcher (leg.from) cancels its subscription to leg.to.
void SubscriptionMachine::on_cancel(const Leg& leg, const PolicySnapshot& policy,
                                    SubscriptionEffects& out) {
  const Entry* e = lookup(leg.from, leg.to);
  if (e == nullptr) {
    return;
  }
  if (e->d.state != SubscriptionState::polite_block) {
    Address from = leg.inbound ? leg.from : policy.identity().outward(leg.from);
    out.effects.push_back(SendSubscription{answer(SubscriptionAction::cancel, from, leg.to, "")});
  }
  erase(*e, out);
}

// RFC 6121 §4.3 / RFC 8048 §7: answered from the cache when fedgate knows the answer.
void SubscriptionMachine::on_probe(const Leg& leg, const PolicySnapshot& policy,
                                   SubscriptionEffects& out) {
  const Entry* e = lookup(leg.from, leg.to);
  if (e != nullptr && e->d.state != SubscriptionState::pending) {
    answer_from_cache(*e, policy, out);
    return;
  }
  if (!leg.inbound && e == nullptr) {  // a local watcher asks about a remote entity
    if (cached(leg.to) != nullptr) {
      answer_from_cache(leg.from, leg.to, true, true, policy, out);
    } else {
      out.effects.push_back(SendSubscription{
          answer(SubscriptionAction::probe, policy.identity().outward(leg.from), leg.to, "")});
    }
  }
}

}  // namespace fedgate::presence
