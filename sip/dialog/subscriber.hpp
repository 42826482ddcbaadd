// The subscriber side of a subscription usage (RFC 6665 §4.1): sends SUBSCRIBE, refreshes
// before expiry, handles NOTIFY/BENOTIFY states and the retry rules of §4.1.3; accepts the
// Microsoft piggy-backed first NOTIFY in the 200 OK (MS-SIPRE ms-piggyback-cseq).
// Owned by sip_core; sans-I/O (events + now in, actions out), on the session's strand.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
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

// Memory: an idle subscription (dialog established, no request of its own outstanding, and
// compact() called by the owner) keeps its dialog in the compact text form of Dialog::encode
// and shares the node's configuration (Via, Contact, Event, Accept, Supported) with every
// other Subscriber. An event decodes it and leaves it decoded (hot) until compact(), which
// encodes it again if it changed. The reference dialog() returns stays valid until compact().
class Subscriber {
 public:
  explicit Subscriber(SubscribeParams params);
  Subscriber(const Subscriber& other);
  Subscriber(Subscriber&& other) noexcept;
  Subscriber& operator=(const Subscriber& other);
  Subscriber& operator=(Subscriber&& other) noexcept;
  ~Subscriber();

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
  bool has_dialog() const;
  const Dialog& dialog() const;
  // The dialog's id without decoding the whole dialog (precondition: has_dialog()).
  DialogId dialog_id() const;
  TimePoint refresh_at() const { return refresh_at_; }
  TimePoint expires_at() const { return expires_at_; }
  // Encodes the working form if an event changed it, then drops it (the idle form).
  void compact() const;
  // Counts the events that changed something a restart needs (state, expiry and refresh
  // times, the dialog or its durable fields); a NOTIFY that only moves CSeqs does not count.
  std::uint64_t durable_revision() const { return durable_revision_; }
  // The configuration this subscription sends with every SUBSCRIBE (for persistence).
  const std::string& event_package() const;
  const std::vector<std::string>& accept() const;
  const std::vector<std::string>& supported() const;

  // Persistence (subscriber_state.cpp): "S1" + state + expiry and refresh times as wall-clock
  // milliseconds + the dialog; "" when there is no dialog yet (nothing to continue). restore()
  // takes the node's current configuration in `config` (its target, from, to and call_id are
  // ignored: they come from the stored dialog) and maps the times back onto `now`.
  std::string serialize(TimePoint now, std::chrono::system_clock::time_point wall_now) const;
  static result<Subscriber> restore(std::string_view data, SubscribeParams config, TimePoint now,
                                    std::chrono::system_clock::time_point wall_now);

 private:
  struct Shared;   // configuration shared by the node's subscribers (interned)
  struct Working;  // the decoded form while an event runs
  class Settle;    // notes what an event handler changed when it returns

  Working& work() const;
  void settle(bool durable);
  Request make_subscribe(std::uint32_t expires, BranchGenerator& branches);
  void schedule(std::uint32_t granted, TimePoint now);
  std::optional<DialogErrc> check_notify(const Request& notify, TimePoint now);
  SubscriberActions on_success(const Response& response, TimePoint now);
  SubscriberActions end(int status, std::string reason, std::optional<Duration> retry);

  std::shared_ptr<const Shared> shared_;
  mutable std::unique_ptr<Working> working_;
  mutable std::string packed_;  // Dialog::encode while idle; empty while changed_
  mutable bool changed_ = false;  // working_ holds changes packed_ does not
  std::uint64_t durable_revision_ = 0;
  TimePoint refresh_at_{};
  TimePoint expires_at_{};
  SubState state_ = SubState::pending;
  bool ended_ = false;
};

}  // namespace fedgate::sip
