// The subscriber side of a subscription usage (RFC 6665 §4.1): sends SUBSCRIBE, refreshes
// before expiry, handles NOTIFY/BENOTIFY states and the retry rules of §4.1.3; accepts the
// Microsoft piggy-backed first NOTIFY in the 200 OK (MS-SIPRE ms-piggyback-cseq).
// Owned by sip_core; sans-I/O (events + now in, actions out), on the session's strand.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gateway/base/clock.hpp"
#include "sip/dialog/dialog.hpp"
#include "sip/dialog/usage.hpp"

namespace fedgate::sip {

struct SubscribeParams {
  Uri target;     // Request-URI of the initial SUBSCRIBE
  NameAddr from;  // with our tag (and epid, if any)
  NameAddr to;
  std::string call_id;
  EventHeader event;
  std::vector<std::string> accept;     // one Accept header, values in order
  std::vector<std::string> supported;  // e.g. ms-benotify, ms-piggyback-first-notify
  std::uint32_t expires = 3600;
  LocalEndpoint local;
};

struct Notification {
  SubState state = SubState::active;
  Body body;
  friend bool operator==(const Notification&, const Notification&) = default;
};

// Why the subscription ended and whether to start a new one (RFC 6665 §4.1.3).
struct SubscriptionEnd {
  int status = 0;                       // the refusing status, 0 when ended by NOTIFY
  std::string reason;                   // Subscription-State reason, or "timeout"
  std::optional<Duration> retry_after;  // nullopt: do not re-subscribe
  friend bool operator==(const SubscriptionEnd&, const SubscriptionEnd&) = default;
};

struct SubscriberActions {
  std::optional<Response> respond;           // the answer to a NOTIFY (never to BENOTIFY)
  std::optional<Notification> notification;  // a document for the layer above
  std::optional<TimePoint> wake_at;          // when to call on_wake (refresh or expiry)
  std::optional<SubscriptionEnd> ended;      // set once
};

// The §4.1.3 retry rule for a terminated Subscription-State.
std::optional<Duration> retry_delay(const SubscriptionState& ss);

class Subscriber {
 public:
  explicit Subscriber(SubscribeParams params) : params_(std::move(params)) {}

  Request start(BranchGenerator& branches);
  // A response to the initial or a refreshing SUBSCRIBE.
  SubscriberActions on_response(const Response& response, TimePoint now);
  // A NOTIFY or BENOTIFY in this subscription's dialog.
  SubscriberActions on_notify(const Request& notify, TimePoint now);
  // The refreshing SUBSCRIBE when the refresh time has come; at expiry without a successful
  // refresh, ended (reason timeout).
  std::optional<Request> on_wake(TimePoint now, BranchGenerator& branches,
                                 SubscriberActions* expired = nullptr);
  // SUBSCRIBE with Expires: 0 (RFC 6665 §4.1.2.3); a final NOTIFY follows.
  Request unsubscribe(BranchGenerator& branches);

  SubState state() const { return state_; }
  bool has_dialog() const { return dialog_.has_value(); }
  const Dialog& dialog() const { return *dialog_; }
  TimePoint refresh_at() const { return refresh_at_; }
  TimePoint expires_at() const { return expires_at_; }

 private:
  Request make_subscribe(std::uint32_t expires, BranchGenerator& branches);
  void schedule(std::uint32_t granted, TimePoint now);
  std::optional<DialogErrc> check_notify(const Request& notify, TimePoint now);
  SubscriberActions on_success(const Response& response, TimePoint now);
  SubscriberActions end(int status, std::string reason, std::optional<Duration> retry);

  SubscribeParams params_;
  std::optional<Request> initial_;  // kept until the dialog exists
  std::optional<Dialog> dialog_;
  SubState state_ = SubState::pending;
  bool ended_ = false;
  TimePoint refresh_at_{};
  TimePoint expires_at_{};
};

}  // namespace fedgate::sip
