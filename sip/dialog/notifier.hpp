// The notifier side of a subscription usage (RFC 6665 §4.2): accepts a SUBSCRIBE with 200 and
// Expires, sends NOTIFY with Subscription-State, handles refresh, un-SUBSCRIBE and expiry.
// Microsoft dialect (MS-SIPRE): the first NOTIFY piggy-backed in the 200 OK, and BENOTIFY.
// Owned by sip_core; sans-I/O (events + now in, messages out), on the session's strand.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "gateway/base/clock.hpp"
#include "gateway/base/result.hpp"
#include "sip/dialog/dialog.hpp"
#include "sip/dialog/usage.hpp"

namespace fedgate::sip {

struct NotifierReply {
  Response response;
  std::optional<Request> notify;  // the terminating NOTIFY after an un-SUBSCRIBE
};

// Memory: after an event the dialog stays decoded (hot) until the owner calls compact(),
// which encodes it into the compact text form of Dialog::encode when it changed; the local
// endpoint and Event are shared (interned) with the node's other notifiers. The reference
// dialog() returns stays valid until compact().
class Notifier {
 public:
  // An initial SUBSCRIBE. Errors: DialogErrc::bad_event (489) without Event,
  // missing_contact (400). The granted expiry is min(Expires, max_expires).
  static result<Notifier> create(const Request& subscribe, std::string_view local_tag,
                                 LocalEndpoint local, std::uint32_t max_expires, TimePoint now);
  Notifier(const Notifier& other);
  Notifier(Notifier&& other) noexcept;
  Notifier& operator=(const Notifier& other);
  Notifier& operator=(Notifier&& other) noexcept;
  ~Notifier();

  // The 200 OK with Expires. With `first` and a subscriber that offered
  // ms-piggyback-first-notify, the 200 carries the first notification (Event,
  // Subscription-State, ms-piggyback-cseq, body) and no separate first NOTIFY is needed.
  Response accept(const Request& subscribe, SubState state, std::optional<Body> first);
  bool piggybacked() const { return piggybacked_; }

  // A NOTIFY with the current `state` (pending/active, expires=remaining seconds), or a
  // BENOTIFY (no response expected) when `best_effort` and the subscriber offered ms-benotify.
  Request notify(SubState state, std::optional<Body> body, BranchGenerator& branches, TimePoint now,
                 bool best_effort = false);
  // The final NOTIFY: Subscription-State terminated;reason=<reason>[;retry-after=N].
  Request terminate(std::string_view reason, std::optional<Body> body, BranchGenerator& branches,
                    std::optional<std::uint32_t> retry_after = std::nullopt);

  // A refreshing SUBSCRIBE in the dialog; Expires: 0 un-subscribes (200, then terminated
  // NOTIFY with reason=timeout). Errors from Dialog::on_request (481, 500).
  result<NotifierReply> on_subscribe(const Request& subscribe, BranchGenerator& branches,
                                     TimePoint now);
  // At or after expires_at(): the terminating NOTIFY (reason=timeout); otherwise nothing.
  std::optional<Request> on_wake(TimePoint now, BranchGenerator& branches);

  SubState state() const { return state_; }
  TimePoint expires_at() const { return expires_at_; }
  const Dialog& dialog() const;
  // The dialog's id without decoding the whole dialog.
  DialogId dialog_id() const;
  // Encodes the working form if an event changed it, then drops it (the idle form).
  void compact() const;
  // Counts the events that changed something a restart needs (state, expiry, Microsoft
  // options, the dialog's durable fields); a NOTIFY that only moves CSeqs does not count.
  std::uint64_t durable_revision() const { return durable_revision_; }
  std::uint32_t local_cseq() const { return work().local_cseq(); }

  // Persistence (notifier_state.cpp): "N1" + state, Microsoft options, expiry as wall-clock
  // milliseconds, Event package and id, and the dialog. restore() takes the node's current
  // local endpoint and maximum expiry, and maps the expiry back onto `now`.
  std::string serialize(TimePoint now, std::chrono::system_clock::time_point wall_now) const;
  static result<Notifier> restore(std::string_view data, LocalEndpoint local,
                                  std::uint32_t max_expires, TimePoint now,
                                  std::chrono::system_clock::time_point wall_now);

 private:
  struct Shared;  // local endpoint, Event and maximum expiry (interned)
  class Settle;   // notes what an event handler changed when it returns

  Notifier(std::shared_ptr<const Shared> shared, Dialog dialog);
  Dialog& work() const;
  void settle(bool durable);
  std::uint32_t grant(const Request& subscribe, TimePoint now);
  std::uint32_t remaining(TimePoint now) const;
  Request make_notify(Method method, SubscriptionState ss, std::optional<Body> body,
                      BranchGenerator& branches);

  std::shared_ptr<const Shared> shared_;
  mutable std::unique_ptr<Dialog> working_;
  mutable std::string packed_;  // Dialog::encode while idle; empty while changed_
  TimePoint expires_at_{};
  SubState state_ = SubState::pending;
  bool benotify_ok_ = false;
  bool piggyback_ok_ = false;
  bool piggybacked_ = false;
  mutable bool changed_ = false;  // working_ holds changes packed_ does not
  std::uint64_t durable_revision_ = 0;
};

}  // namespace fedgate::sip
