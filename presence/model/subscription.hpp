// Subscription vocabulary: requests and answers (RFC 6121 §3 subscribe/subscribed/
// unsubscribe/unsubscribed/probe; RFC 6665 SUBSCRIBE/NOTIFY) and the stored Subscription.
// Owned by presence_model; plain values. States follow RFC 6665 §4.1.3 Subscription-State.
#pragma once

#include <cstdint>
#include <string>

#include "presence/model/address.hpp"
#include "presence/model/time.hpp"

namespace fedgate::presence {

// XMPP subscribe/subscribed/unsubscribed/unsubscribe/probe; SIP SUBSCRIBE, NOTIFY
// active/terminated, SUBSCRIBE Expires: 0, SUBSCRIBE Expires: 0 as a fetch (RFC 8048 §7).
enum class SubscriptionAction { subscribe, approve, deny, cancel, probe };

struct SubscriptionRequest {
  SubscriptionAction action = SubscriptionAction::subscribe;
  Address from;  // the watcher for subscribe/cancel/probe; the presentity for approve/deny
  Address to;
  std::string id;  // stanza id or SIP Call-ID, for logs and answers
  friend bool operator==(const SubscriptionRequest&, const SubscriptionRequest&) = default;
};

// RFC 6665 §4.1.3 plus "polite_block": accepted towards the watcher, who sees offline
// forever, and never asked of the local user.
enum class SubscriptionState { pending, active, polite_block, terminated };

std::string_view to_string(SubscriptionState s) noexcept;

// One bridged subscription: `watcher` watches `presentity`. Exactly one of them is local.
// The SIP side's dialog (Call-ID, tags, route set, CSeq) is opaque to the router.
struct Subscription {
  std::int64_t id = 0;  // assigned by the SubscriptionStore; 0 until saved
  Address watcher;
  Address presentity;
  SubscriptionState state = SubscriptionState::pending;
  bool watcher_is_local = false;  // true: fedgate subscribes (and refreshes) on the SIP side
  WallTime expires{};      // SIP side expiry (wall clock: it is persisted); {} when no SIP dialog
  std::string sip_dialog;  // opaque serialized SIP dialog data, empty for none
  friend bool operator==(const Subscription&, const Subscription&) = default;
};

}  // namespace fedgate::presence
