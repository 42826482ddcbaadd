// The effects a SubscriptionMachine asks its owner (gateway/app's Switchboard) to carry out,
// as plain values: sans-I/O (STYLE.md B1). Owned by presence_router. Each effect names the
// side it goes to by address; the switchboard picks the connection manager by domain.
// RFC 8048 §5-§7 (XMPP ↔ SIP subscription mapping), RFC 6665 §4.1.3 / §4.2.2.
#pragma once

#include <optional>
#include <variant>
#include <vector>

#include "presence/model/presence.hpp"
#include "presence/model/subscription.hpp"
#include "presence/router.hpp"

namespace fedgate::presence {

// Send this subscription request or answer to request.to's side (XMPP subscribe/subscribed/
// unsubscribe/unsubscribed/probe; SIP SUBSCRIBE, NOTIFY active/terminated, fetch).
struct SendSubscription {
  SubscriptionRequest request;
  friend bool operator==(const SendSubscription&, const SendSubscription&) = default;
};

// Send presence of `from` to `to` (XMPP <presence/>, or a NOTIFY in the stored dialog).
struct SendPresence {
  Address from;
  Address to;
  Presence presence;
  friend bool operator==(const SendPresence&, const SendPresence&) = default;
};

// SUBSCRIBE on the SIP side for this subscription: a refresh inside subscription.sip_dialog,
// or a new dialog when it is empty. fedgate owns this whenever the presentity is reached
// over SIP, for as long as the subscription exists.
struct RefreshSubscription {
  Subscription subscription;
  friend bool operator==(const RefreshSubscription&, const RefreshSubscription&) = default;
};

// Answer the requester with an error (SIP 403/404..., XMPP <presence type='error'/>).
struct RefuseRequest {
  SubscriptionRequest request;
  Refuse refusal;
  friend bool operator==(const RefuseRequest&, const RefuseRequest&) = default;
};

// Persist through SubscriptionStore / PresenceCacheStore.
struct SaveSubscription {
  Subscription subscription;
  friend bool operator==(const SaveSubscription&, const SaveSubscription&) = default;
};
struct RemoveSubscription {
  Subscription subscription;
  friend bool operator==(const RemoveSubscription&, const RemoveSubscription&) = default;
};
struct SavePresence {
  Presence presence;
  friend bool operator==(const SavePresence&, const SavePresence&) = default;
};

// Drop (a request to an old native address, see federation_identity.hpp): XMPP stays silent;
// a SIP request still gets its final response, 404 as for an unknown user. Discover: the
// remote domain needs open-federation discovery; replay the request afterwards.
using SubscriptionEffect =
    std::variant<SendSubscription, SendPresence, RefreshSubscription, RefuseRequest,
                 SaveSubscription, RemoveSubscription, SavePresence, Discover, Drop>;

struct SubscriptionEffects {
  std::vector<SubscriptionEffect> effects;
  std::optional<WallTime> wake_at;  // call on_wake() then (next SIP refresh)
};

}  // namespace fedgate::presence
