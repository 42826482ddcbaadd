// SubscriptionMachine: every bridged presence subscription of this node plus the presence
// cache answering probes; sans-I/O (events and `now` in, effects out). Owned by gateway/app's
// Switchboard on one strand. RFC 8048 §5-§7, RFC 6665 §4.1.3/§4.2.2, RFC 6121 §3, §4.3.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <set>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "presence/policy_snapshot.hpp"
#include "presence/string_hash.hpp"
#include "presence/subscription_effects.hpp"

namespace fedgate::presence {

// What the SIP side reported for a subscription fedgate holds there (a 2xx/NOTIFY with
// Subscription-State, RFC 6665 §4.1.3), with the dialog to store.
struct SipSubscriptionEvent {
  Address watcher;
  Address presentity;
  SubscriptionState state = SubscriptionState::active;  // pending, active or terminated
  std::string reason;  // Subscription-State reason for terminated ("rejected", "timeout"...)
  WallTime expires{};  // from the Expires / Subscription-State expires parameter
  std::string sip_dialog;
};

class SubscriptionMachine {
 public:
  struct Config {
    std::chrono::seconds refresh_margin{60};  // re-SUBSCRIBE this long before expiry
    std::chrono::seconds retry_after{30};     // re-try a refresh that got no answer
    // A NOTIFY that only moves the expiry is saved once it moved further than this (the
    // stored expiry is informational: restore() re-SUBSCRIBEs regardless of it).
    std::chrono::seconds expires_slack{300};
  };

  SubscriptionMachine() = default;
  explicit SubscriptionMachine(Config config) : config_(config) {}
  SubscriptionMachine(const SubscriptionMachine&) = delete;
  SubscriptionMachine& operator=(const SubscriptionMachine&) = delete;

  // Start-up: stored subscriptions and cached presence. SIP-side subscriptions fedgate owns
  // are re-SUBSCRIBEd at once (the fresh NOTIFY brings presence immediately), and each local
  // presentity with remote watchers is probed once.
  SubscriptionEffects restore(std::vector<Subscription> rows, std::vector<Presence> cache,
                              const PolicySnapshot& policy, WallTime now);

  SubscriptionEffects on_request(const SubscriptionRequest& r, const PolicySnapshot& policy,
                                 WallTime now);
  // Presence published by one endpoint / resource of `entity` (may be local or remote).
  SubscriptionEffects on_endpoint_presence(const Address& entity, const EndpointPresence& e,
                                           const PolicySnapshot& policy);
  // A whole presence document (Lync aggregate state, PIDF).
  SubscriptionEffects on_presence_document(const Presence& doc, const PolicySnapshot& policy);
  SubscriptionEffects on_sip_state(const SipSubscriptionEvent& e, const PolicySnapshot& policy,
                                   WallTime now);
  SubscriptionEffects on_wake(WallTime now);
  // The store assigned `id` to the subscription of this pair.
  void on_saved(const Address& watcher, const Address& presentity, std::int64_t id);

  std::optional<Subscription> find(const Address& watcher, const Address& presentity) const;
  const Presence* cached(const Address& entity) const;
  std::size_t size() const noexcept { return subs_.size(); }

 private:
  // One subscription, compact (memory per subscription is a product target): both bare
  // addresses share one string; watchers of one presentity form an intrusive list.
  struct Entry;
  struct Data {
    std::string sip_dialog;
    WallTime expires{};  // as last saved (within Config::expires_slack of the SIP side's)
    WallTime refresh_at{};
    const Entry* next_watcher = nullptr;  // next subscription to the same presentity
    std::int64_t id = 0;
    SubscriptionState state = SubscriptionState::pending;
    bool watcher_is_local = false;
    bool scheduled = false;
  };
  struct Entry {
    std::string key;  // watcher bare + '\n' + presentity bare; never modified once stored
    mutable Data d;
    std::string_view watcher() const { return std::string_view{key}.substr(0, key.find('\n')); }
    std::string_view presentity() const { return std::string_view{key}.substr(key.find('\n') + 1); }
  };
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view k) const noexcept {
      return std::hash<std::string_view>{}(k);
    }
    std::size_t operator()(const Entry& e) const noexcept { return (*this)(e.key); }
  };
  struct Eq {
    using is_transparent = void;
    static std::string_view view(std::string_view k) { return k; }
    static std::string_view view(const Entry& e) { return e.key; }
    template <class A, class B>
    bool operator()(const A& a, const B& b) const noexcept {
      return view(a) == view(b);
    }
  };

  static Subscription to_subscription(const Entry& e);
  const Entry* lookup(const Address& watcher, const Address& presentity) const;
  const Entry& insert(const Subscription& s);
  void erase(const Entry& e, SubscriptionEffects& out);
  void schedule(const Entry& e, WallTime at);
  void unschedule(const Entry& e);
  bool owns_sip_refresh(const Entry& e, const PolicySnapshot& policy) const;
  void fan_out(const Address& entity, const PolicySnapshot& policy, SubscriptionEffects& out);
  void finish(SubscriptionEffects& out) const;

  void on_subscribe(const Leg& leg, const SubscriptionRequest& r, const PolicySnapshot& policy,
                    SubscriptionEffects& out);
  void dispatch(const Leg& leg, const SubscriptionRequest& r, const PolicySnapshot& policy,
                SubscriptionEffects& out);
  bool changes_stored(const Data& d, const SipSubscriptionEvent& e) const;
  void on_sip_accepted(const Entry& s, const SipSubscriptionEvent& e, const PolicySnapshot& policy,
                       SubscriptionEffects& out);
  bool answered_without_asking(Subscription& s, const SubscriptionRequest& r,
                               const PolicySnapshot& policy, SubscriptionEffects& out);
  void on_sip_terminated(const Entry& s, const SipSubscriptionEvent& e, WallTime now,
                         SubscriptionEffects& out);
  void restore_one(Subscription row, const PolicySnapshot& policy, WallTime now, StringSet& probed,
                   SubscriptionEffects& out);
  void on_approve(const Leg& leg, const PolicySnapshot& policy, SubscriptionEffects& out);
  void on_deny(const Leg& leg, const PolicySnapshot& policy, SubscriptionEffects& out);
  void on_cancel(const Leg& leg, const PolicySnapshot& policy, SubscriptionEffects& out);
  void on_probe(const Leg& leg, const PolicySnapshot& policy, SubscriptionEffects& out);
  void answer_from_cache(const Address& watcher, const Address& presentity, bool active,
                         bool watcher_is_local, const PolicySnapshot& policy,
                         SubscriptionEffects& out) const;
  void answer_from_cache(const Entry& e, const PolicySnapshot& policy,
                         SubscriptionEffects& out) const;

  Config config_;
  std::unordered_set<Entry, Hash, Eq> subs_;
  // presentity bare (a view into the first watcher's Entry::key) → first watcher's entry
  std::unordered_map<std::string_view, const Entry*> watchers_of_;
  StringMap<Presence> presence_;  // entity bare → last known presence
  std::set<std::pair<WallTime, const Entry*>> refresh_at_;
};

}  // namespace fedgate::presence
