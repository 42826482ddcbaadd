// SubscriptionMachine: storage, indexes, refresh schedule, presence cache and fan-out.
// The request handlers are in subscription_requests.cpp, the SIP side in subscription_sip.cpp.
#include "presence/subscription_machine.hpp"

#include <algorithm>
#include <array>

#include "presence/presence_aggregator.hpp"

namespace fedgate::presence {
namespace {

Presence offline_of(const Address& entity) {
  Presence p;
  p.entity = entity;
  return p;
}

// Keys hold addresses that were valid Addresses when stored.
Address stored_address(std::string_view text) { return Address::parse(text).value(); }

}  // namespace

Subscription SubscriptionMachine::to_subscription(const Entry& e) {
  Subscription s{e.d.id,        stored_address(e.watcher()), stored_address(e.presentity()),
                 e.d.state,     e.d.watcher_is_local,        e.d.expires,
                 e.d.sip_dialog};
  return s;
}

const SubscriptionMachine::Entry* SubscriptionMachine::lookup(const Address& watcher,
                                                              const Address& presentity) const {
  std::array<char, 512> buffer;
  std::string heap;
  std::string_view key;
  auto w = watcher.bare();
  auto p = presentity.bare();
  if (w.size() + p.size() + 1 <= buffer.size()) {
    auto end = std::copy(w.begin(), w.end(), buffer.begin());
    *end++ = '\n';
    end = std::copy(p.begin(), p.end(), end);
    key = std::string_view{buffer.data(), static_cast<std::size_t>(end - buffer.begin())};
  } else {
    heap.append(w).append(1, '\n').append(p);
    key = heap;
  }
  auto it = subs_.find(key);
  return it == subs_.end() ? nullptr : &*it;
}

std::optional<Subscription> SubscriptionMachine::find(const Address& watcher,
                                                      const Address& presentity) const {
  const Entry* e = lookup(watcher, presentity);
  return e == nullptr ? std::nullopt : std::optional<Subscription>{to_subscription(*e)};
}

const Presence* SubscriptionMachine::cached(const Address& entity) const {
  auto it = presence_.find(entity.bare());
  return it == presence_.end() ? nullptr : &it->second;
}

const SubscriptionMachine::Entry& SubscriptionMachine::insert(const Subscription& s) {
  Entry entry;
  entry.key.reserve(s.watcher.bare().size() + s.presentity.bare().size() + 1);
  entry.key.append(s.watcher.bare()).append(1, '\n').append(s.presentity.bare());
  entry.d = Data{s.sip_dialog, s.expires, {}, nullptr, s.id, s.state, s.watcher_is_local, false};
  auto [it, added] = subs_.insert(std::move(entry));
  const Entry& stored = *it;
  if (added) {
    auto [head, first] = watchers_of_.try_emplace(stored.presentity(), &stored);
    if (!first) {  // push front: the head keeps its key view
      stored.d.next_watcher = head->second->d.next_watcher;
      head->second->d.next_watcher = &stored;
    }
  }
  return stored;
}

void SubscriptionMachine::erase(const Entry& e, SubscriptionEffects& out) {
  unschedule(e);
  e.d.state = SubscriptionState::terminated;
  out.effects.push_back(RemoveSubscription{to_subscription(e)});
  auto head = watchers_of_.find(e.presentity());
  if (head != watchers_of_.end() && head->second == &e) {
    watchers_of_.erase(head);  // its key is a view into e: re-key on the next watcher
    if (const Entry* next = e.d.next_watcher) {
      watchers_of_.emplace(next->presentity(), next);
    }
  } else if (head != watchers_of_.end()) {
    for (const Entry* p = head->second; p != nullptr; p = p->d.next_watcher) {
      if (p->d.next_watcher == &e) {
        p->d.next_watcher = e.d.next_watcher;
        break;
      }
    }
  }
  subs_.erase(subs_.find(std::string_view{e.key}));
}

void SubscriptionMachine::schedule(const Entry& e, WallTime at) {
  unschedule(e);
  refresh_at_.emplace(at, &e);
  e.d.refresh_at = at;
  e.d.scheduled = true;
}

void SubscriptionMachine::unschedule(const Entry& e) {
  if (e.d.scheduled) {
    refresh_at_.erase({e.d.refresh_at, &e});
    e.d.scheduled = false;
  }
}

// The presentity's side speaks SIP (a SIP partner, or a SIP home): fedgate SUBSCRIBEs there.
bool SubscriptionMachine::owns_sip_refresh(const Entry& e, const PolicySnapshot& policy) const {
  auto presentity = e.presentity();
  auto domain = presentity.substr(presentity.find('@') + 1);
  return policy.classify(domain).protocol == Protocol::sip;
}

void SubscriptionMachine::finish(SubscriptionEffects& out) const {
  if (!refresh_at_.empty()) {
    out.wake_at = refresh_at_.begin()->first;
  }
}

// Sends the cached presence of `presentity` to `watcher`: real presence only when active and
// not blocked by the presentity's current rules; offline otherwise (a blocked watcher must
// never learn more).
void SubscriptionMachine::answer_from_cache(const Address& watcher, const Address& presentity,
                                            bool active, bool watcher_is_local,
                                            const PolicySnapshot& policy,
                                            SubscriptionEffects& out) const {
  bool blocked = !watcher_is_local &&
                 policy.user_rule(presentity, watcher, TrafficKind::presence) == RuleAction::block;
  const Presence* p = active && !blocked ? cached(presentity) : nullptr;
  Presence presence = p != nullptr ? *p : offline_of(presentity);
  Address from = watcher_is_local ? presentity : policy.identity().outward(presentity);
  presence.entity = from;
  out.effects.push_back(SendPresence{from, watcher, std::move(presence)});
}

void SubscriptionMachine::answer_from_cache(const Entry& e, const PolicySnapshot& policy,
                                            SubscriptionEffects& out) const {
  answer_from_cache(stored_address(e.watcher()), stored_address(e.presentity()),
                    e.d.state == SubscriptionState::active, e.d.watcher_is_local, policy, out);
}

// True while the current policy lets presence cross between the two domains and the local
// user may federate. Checked at every fan-out, so that a domain removed from the federated
// list (or denied) stops getting anything at once, while its subscriptions stay stored.
namespace {
bool presence_may_cross(const Address& presentity, const Address& watcher, bool watcher_is_local,
                        const PolicySnapshot& policy) {
  if (!policy.may_send(presentity.domain(), watcher.domain()).allowed) {
    return false;
  }
  return policy.identity().federation_enabled(watcher_is_local ? watcher : presentity);
}
}  // namespace

// New presence of `entity` goes to every active watcher the policy still lets it reach. A
// remote watcher whose presentity now blocks them (policy changed) is switched to a polite
// block and sees offline.
void SubscriptionMachine::fan_out(const Address& entity, const PolicySnapshot& policy,
                                  SubscriptionEffects& out) {
  auto head = watchers_of_.find(entity.bare());
  if (head == watchers_of_.end()) {
    return;
  }
  for (const Entry* e = head->second; e != nullptr; e = e->d.next_watcher) {
    if (e->d.state != SubscriptionState::active) {
      continue;
    }
    Address watcher = stored_address(e->watcher());
    Address presentity = stored_address(e->presentity());
    if (!presence_may_cross(presentity, watcher, e->d.watcher_is_local, policy)) {
      continue;
    }
    if (!e->d.watcher_is_local &&
        policy.user_rule(presentity, watcher, TrafficKind::presence) == RuleAction::block) {
      e->d.state = SubscriptionState::polite_block;
      out.effects.push_back(SaveSubscription{to_subscription(*e)});
    }
    answer_from_cache(watcher, presentity, e->d.state == SubscriptionState::active,
                      e->d.watcher_is_local, policy, out);
  }
}

SubscriptionEffects SubscriptionMachine::on_endpoint_presence(const Address& entity,
                                                              const EndpointPresence& e,
                                                              const PolicySnapshot& policy) {
  SubscriptionEffects out;
  auto [it, added] =
      presence_.try_emplace(std::string{entity.bare()}, offline_of(entity.without_resource()));
  if (!apply_endpoint(it->second, e)) {
    return out;  // stale: never overwrites newer state
  }
  out.effects.push_back(SavePresence{it->second});
  fan_out(entity, policy, out);
  finish(out);
  return out;
}

SubscriptionEffects SubscriptionMachine::on_presence_document(const Presence& doc,
                                                              const PolicySnapshot& policy) {
  SubscriptionEffects out;
  auto [it, added] = presence_.try_emplace(std::string{doc.entity.bare()}, doc);
  if (!added && !apply_document(it->second, doc)) {
    return out;
  }
  it->second.entity = doc.entity.without_resource();
  out.effects.push_back(SavePresence{it->second});
  fan_out(doc.entity, policy, out);
  finish(out);
  return out;
}

void SubscriptionMachine::on_saved(const Address& watcher, const Address& presentity,
                                   std::int64_t id) {
  if (const Entry* e = lookup(watcher, presentity)) {
    e->d.id = id;
  }
}

}  // namespace fedgate::presence
