// SubscriptionMachine: storage, indexes, refresh schedule, presence cache and fan-out.
// The request handlers are in subscription_requests.cpp.
#include <algorithm>

#include "presence/presence_aggregator.hpp"
#include "presence/subscription_machine.hpp"

namespace fedgate::presence {
namespace {

Presence offline_of(const Address& entity) {
  Presence p;
  p.entity = entity;
  return p;
}

}  // namespace

std::size_t SubscriptionMachine::Hash::operator()(const KeyView& k) const noexcept {
  auto h = std::hash<std::string_view>{}(k.watcher);
  return h ^ (std::hash<std::string_view>{}(k.presentity) + 0x9e3779b97f4a7c15ULL + (h << 6) +
              (h >> 2));
}

std::size_t SubscriptionMachine::Hash::operator()(const Entry& e) const noexcept {
  return (*this)(KeyView{e.sub.watcher.full(), e.sub.presentity.full()});
}

Subscription* SubscriptionMachine::lookup(const Address& watcher,
                                          const Address& presentity) const {
  auto it = subs_.find(KeyView{watcher.bare(), presentity.bare()});
  return it == subs_.end() ? nullptr : &it->sub;
}

const Subscription* SubscriptionMachine::find(const Address& watcher,
                                              const Address& presentity) const {
  return lookup(watcher, presentity);
}

const Presence* SubscriptionMachine::cached(const Address& entity) const {
  auto it = presence_.find(entity.bare());
  return it == presence_.end() ? nullptr : &it->second;
}

Subscription& SubscriptionMachine::insert(Subscription s) {
  s.watcher = s.watcher.without_resource();
  s.presentity = s.presentity.without_resource();
  auto [it, added] = subs_.insert(Entry{std::move(s)});
  Subscription& stored = it->sub;
  if (added) {
    watchers_of_[std::string{stored.presentity.bare()}].push_back(&stored);
  }
  return stored;
}

void SubscriptionMachine::erase(Subscription& s, SubscriptionEffects& out) {
  unschedule(s);
  s.state = SubscriptionState::terminated;
  out.effects.push_back(RemoveSubscription{s});
  auto w = watchers_of_.find(s.presentity.bare());
  if (w != watchers_of_.end()) {
    std::erase(w->second, &s);
    if (w->second.empty()) {
      watchers_of_.erase(w);
    }
  }
  subs_.erase(subs_.find(KeyView{s.watcher.bare(), s.presentity.bare()}));
}

void SubscriptionMachine::schedule(Subscription& s, WallTime at) {
  unschedule(s);
  refresh_at_.emplace(at, &s);
  scheduled_[&s] = at;
}

void SubscriptionMachine::unschedule(const Subscription& s) {
  auto it = scheduled_.find(&s);
  if (it != scheduled_.end()) {
    refresh_at_.erase({it->second, const_cast<Subscription*>(&s)});
    scheduled_.erase(it);
  }
}

// The presentity's side speaks SIP (a SIP partner, or a SIP home): fedgate SUBSCRIBEs there.
bool SubscriptionMachine::owns_sip_refresh(const Subscription& s,
                                           const PolicySnapshot& policy) const {
  return policy.classify(s.presentity.domain()).protocol == Protocol::sip;
}

void SubscriptionMachine::finish(SubscriptionEffects& out) const {
  if (!refresh_at_.empty()) {
    out.wake_at = refresh_at_.begin()->first;
  }
}

// Sends the cached presence of s.presentity to s.watcher: real presence only when active and
// not blocked by the presentity's current rules; offline otherwise (a blocked watcher must
// never learn more).
void SubscriptionMachine::answer_from_cache(const Subscription& s, const PolicySnapshot& policy,
                                            SubscriptionEffects& out) const {
  bool blocked = !s.watcher_is_local && policy.user_rule(s.presentity, s.watcher,
                                                         TrafficKind::presence) == RuleAction::block;
  bool real = s.state == SubscriptionState::active && !blocked;
  const Presence* p = real ? cached(s.presentity) : nullptr;
  Presence presence = p != nullptr ? *p : offline_of(s.presentity);
  Address from = s.watcher_is_local ? s.presentity : policy.identity().outward(s.presentity);
  presence.entity = from;
  out.effects.push_back(SendPresence{from, s.watcher, std::move(presence)});
}

// New presence of `entity` goes to every active watcher. A remote watcher whose presentity
// now blocks them (policy changed) is switched to a polite block and sees offline.
void SubscriptionMachine::fan_out(const Address& entity, const PolicySnapshot& policy,
                                  SubscriptionEffects& out) {
  auto w = watchers_of_.find(entity.bare());
  if (w == watchers_of_.end()) {
    return;
  }
  for (Subscription* s : w->second) {
    if (s->state != SubscriptionState::active) {
      continue;
    }
    if (!s->watcher_is_local &&
        policy.user_rule(s->presentity, s->watcher, TrafficKind::presence) == RuleAction::block) {
      s->state = SubscriptionState::polite_block;
      out.effects.push_back(SaveSubscription{*s});
    }
    answer_from_cache(*s, policy, out);
  }
}

SubscriptionEffects SubscriptionMachine::on_endpoint_presence(const Address& entity,
                                                              const EndpointPresence& e,
                                                              const PolicySnapshot& policy) {
  SubscriptionEffects out;
  auto [it, added] = presence_.try_emplace(std::string{entity.bare()},
                                          offline_of(entity.without_resource()));
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
  if (Subscription* s = lookup(watcher, presentity)) {
    s->id = id;
  }
}

}  // namespace fedgate::presence
