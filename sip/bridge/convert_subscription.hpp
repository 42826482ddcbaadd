// Presence subscriptions between SIP and the neutral model: SUBSCRIBE (single, Expires: 0 as
// cancel or fetch, Microsoft batched adhocList/categoryList) → SubscriptionRequests; NOTIFY
// Subscription-State → status fields and approve/deny; neutral states → Subscription-State.
// Owned by sip_net (bridge conversions); pure, any thread. RFC 6665 §4, RFC 8048 §5, §7.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/base/result.hpp"
#include "presence/model/subscription.hpp"
#include "sip/codec/message.hpp"
#include "sip/dialog/usage.hpp"

namespace fedgate::sip {

inline constexpr std::string_view kBatchSubscribeType = "application/msrtc-adrl-categorylist+xml";

// Event: presence only (else bad_event, 489). From = watcher, To = presentity, id = Call-ID.
// Expires: 0 cancels an existing subscription (To has a tag) or is a one-time fetch
// (RFC 8048 §7: probe) on an initial SUBSCRIBE; otherwise subscribe.
result<presence::SubscriptionRequest> subscription_from_subscribe(const Request& subscribe);

// `Require: adhoclist` with an msrtc-adrl-categorylist+xml body (MS-PRES §2.2.2.4.1).
bool is_batch_subscribe(const Request& subscribe);
// One request per adhocList resource (subscribe; cancel for an "unsubscribe" action); the
// watcher is From. Resources that are no user@domain address are left out. Errors:
// bad_event, unsupported_media_type, bad_body, bad_address (From).
result<std::vector<presence::SubscriptionRequest>> subscriptions_from_batch(
    const Request& subscribe);

// What a NOTIFY (or a piggy-backed 200) says of a subscription fedgate holds on the SIP side.
struct SipSubscriptionStatus {
  presence::Address watcher;     // the NOTIFY's To: our user
  presence::Address presentity;  // the NOTIFY's From
  presence::SubscriptionState state = presence::SubscriptionState::pending;
  std::string reason;                    // terminated: rejected, noresource, timeout...
  std::optional<std::uint32_t> expires;  // seconds left (Subscription-State expires)
  std::optional<std::uint32_t> retry_after;
  friend bool operator==(const SipSubscriptionStatus&, const SipSubscriptionStatus&) = default;
};
// The wall-clock expiry of `s` (SipSubscriptionEvent::expires): now + expires, or `now`
// when the status carries no expiry (terminated).
// The RFC 6665 §4.1.3 Subscription-State reason a final failure status stands for
// (403/603 rejected, 404/410/480/604 noresource, 408 timeout, otherwise giveup).
std::string_view failure_reason(int status);
presence::WallTime expires_at(const SipSubscriptionStatus& s, presence::WallTime now);
// Errors: missing_header (no Subscription-State), bad_event, bad_address.
result<SipSubscriptionStatus> subscription_status_from_notify(const Request& notify);

// The final response to our SUBSCRIBE (watcher = From, presentity = To): a 2xx is the state of
// its Subscription-State (Lync's piggy-backed first NOTIFY) or pending until a NOTIFY says
// more, expires from Subscription-State or Expires; a failure is terminated with reason
// rejected (403, 603), noresource (404, 410, 480, 604), timeout (408) or giveup (others).
result<SipSubscriptionStatus> subscription_status_from_response(const Response& response);

// RFC 8048 §5.2.1/§5.2.3: active → approve, terminated with rejected / noresource /
// invariant (or no reason) → deny, from the presentity to the watcher; pending and
// terminations that invite a new SUBSCRIBE (timeout, deactivated, probation, giveup) → none.
std::optional<presence::SubscriptionRequest> request_from_status(const SipSubscriptionStatus& s,
                                                                 std::string id);

// The neutral state as the SIP watcher sees it: polite_block is active (the watcher sees
// offline, never that it is blocked).
SubState sub_state_for(presence::SubscriptionState state) noexcept;
// A Subscription-State value: active/pending;expires=N, or terminated;reason=R.
SubscriptionState subscription_state_for(presence::SubscriptionState state, std::uint32_t expires,
                                         std::string_view reason = {});

}  // namespace fedgate::sip
