// SipDialogBook: the SIP edge's memory of which agent dialog carries which bridged relation —
// notifier dialogs of SIP watchers, subscriber dialogs fedgate holds towards SIP presentities,
// answers being decided for a SUBSCRIBE, IM sessions fedgate opened, and the last presence
// held per SIP presentity (Lync sends category deltas). Owned by SipEdge, used only on its
// strand; pure. RFC 6665 §4.1/§4.2, MS-SIPRE session-mode IM.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gateway/app/sip_edge_forms.hpp"
#include "gateway/base/clock.hpp"
#include "presence/model/address.hpp"
#include "presence/model/presence.hpp"
#include "sip/dialog/dialog.hpp"

namespace fedgate::gateway {

// One relation: `watcher` watches `presentity` (both bare).
struct Watching {
  presence::Address watcher;
  presence::Address presentity;
  friend bool operator==(const Watching&, const Watching&) = default;
};

// A NOTIFY waiting for the one before it in the same dialog (presence stays in order).
struct QueuedNotify {
  sip::SubState state = sip::SubState::active;
  std::optional<sip::Body> body;
  bool best_effort = false;  // a BENOTIFY when the watcher offered ms-benotify
};

struct NotifierRecord {
  sip::DialogId dialog;
  bool msrtc = false;  // the watcher accepts msrtc-event-categories (Lync/S4B)
  std::deque<QueuedNotify> queue;  // sent one at a time, in order
  bool sending = false;            // a task is draining the queue
  bool closing = false;            // a terminated NOTIFY is queued: forget it once sent
  bool batch = false;  // one resource of a batched subscription: NOTIFYs go via its BatchRecord
};

// The dialog of a batched subscription (MS-PRES adhocList): each listed resource has its own
// NotifierRecord (batch set); the list's RLMI version and the dialog's NOTIFY queue live here.
struct BatchRecord {
  std::string list_uri;
  bool msrtc = false;
  std::uint32_t version = 0;       // of the next RLMI document (RFC 4662 §5.2)
  std::deque<QueuedNotify> queue;  // sent one at a time, in order
  bool sending = false;
};

struct SubscriberRecord {
  sip::DialogId dialog;
  presence::SubscriptionState state = presence::SubscriptionState::pending;
  presence::WallTime expires{};
};

// What the switchboard decided while a SIP watcher's SUBSCRIBE waits for its answer.
struct PendingAnswer {
  std::optional<SipRefusal> refusal;  // refuse_request, or deny
  bool approved = false;              // approve: answer active
  std::optional<presence::Presence> first;  // presence to carry in the first NOTIFY
};

// An IM session in the agent: `sip_user` is the user on the SIP side of the conversation
// (where the dialog lives), `peer` the other one.
struct SessionParties {
  presence::Address sip_user;
  presence::Address peer;
  bool outgoing = false;  // fedgate sent the INVITE
  std::optional<TimePoint> activity_reported;  // the last on_remote_activity for this session
};

class SipDialogBook {
 public:
  // Notifier dialogs (a SIP watcher's subscription to someone fedgate speaks for).
  void add_notifier(const Watching& w, NotifierRecord r);
  const NotifierRecord* notifier(const Watching& w) const;
  NotifierRecord* notifier(const Watching& w);
  std::optional<Watching> remove_notifier(const sip::DialogId& id);  // one of the dialog's
  void remove_notifier(const Watching& w);
  std::vector<Watching> remove_notifiers(const sip::DialogId& id);  // all of them

  // Batched subscriptions, by their notifier dialog.
  void add_batch(const sip::DialogId& id, BatchRecord r);
  BatchRecord* batch(const sip::DialogId& id);
  void remove_batch(const sip::DialogId& id);

  // Subscriber dialogs (fedgate subscribed to a SIP presentity on the watcher's behalf).
  void begin_subscribe(const Watching& w);
  bool subscribing(const Watching& w) const;
  void end_subscribe_attempt(const Watching& w);
  // The watcher of an attempt under way to `presentity` (the first one), when any.
  std::optional<presence::Address> attempt_for(const presence::Address& presentity) const;
  void add_subscriber(const Watching& w, const sip::DialogId& id);
  SubscriberRecord* subscriber(const Watching& w);
  // By Call-ID and our tag (the remote tag may be learnt later).
  std::optional<Watching> subscriber_of(const sip::DialogId& id) const;
  std::optional<Watching> remove_subscriber(const sip::DialogId& id);

  // Answers of SUBSCRIBEs being decided.
  void open_answer(const Watching& w);
  PendingAnswer* pending(const Watching& w);
  std::optional<PendingAnswer> take_answer(const Watching& w);

  // The last full presence of a SIP presentity (to merge msrtc deltas into).
  const presence::Presence* held(const presence::Address& entity) const;
  void hold(presence::Presence p);
  void forget_held(const presence::Address& entity);

  // IM sessions by Call-ID and our tag.
  void add_session(const sip::DialogId& id, SessionParties parties);
  std::optional<SessionParties> session(const sip::DialogId& id) const;
  SessionParties* find_session(const sip::DialogId& id);  // null: none; valid until a change
  std::optional<SessionParties> remove_session(const sip::DialogId& id);

  std::size_t notifiers() const { return notifiers_.size(); }
  std::size_t subscribers() const { return subscribers_.size(); }
  std::size_t sessions() const { return sessions_.size(); }
  std::size_t batches() const { return batches_.size(); }

 private:
  using Key = std::pair<std::string, std::string>;  // watcher, presentity (bare)
  using DialogKey = std::pair<std::string, std::string>;  // Call-ID, our tag
  using KeyView = std::pair<std::string_view, std::string_view>;  // lookups: no copies
  struct Less {  // orders Key, DialogKey and KeyView alike
    using is_transparent = void;
    template <class A, class B>
    bool operator()(const A& a, const B& b) const {
      return KeyView{a.first, a.second} < KeyView{b.first, b.second};
    }
  };
  static Key key(const Watching& w);
  static KeyView view(const Watching& w);
  static DialogKey dialog_key(const sip::DialogId& id);
  static KeyView dialog_view(const sip::DialogId& id);

  std::map<Key, NotifierRecord, Less> notifiers_;
  std::multimap<sip::DialogId, Watching> notifier_by_dialog_;  // a batch has several
  std::map<sip::DialogId, BatchRecord> batches_;
  std::map<Key, SubscriberRecord, Less> subscribers_;
  std::map<DialogKey, Watching, Less> subscriber_by_dialog_;
  std::vector<Watching> attempts_;  // SUBSCRIBEs sent, not yet answered
  std::map<Key, PendingAnswer, Less> pending_;
  std::map<std::string, presence::Presence> held_;
  std::map<DialogKey, SessionParties, Less> sessions_;
};

}  // namespace fedgate::gateway
