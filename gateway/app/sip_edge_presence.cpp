// SipEdge, subscriptions and presence: the switchboard's subscription effects as agent requests
// (SUBSCRIBE / un-SUBSCRIBE towards SIP presentities, the answer or a NOTIFY in the notifier
// dialog of a SIP watcher) and the agent's SUBSCRIBE / NOTIFY events as the switchboard's
// neutral inputs. RFC 6665 §4.1-§4.2, RFC 8048 §5-§7, RFC 7247 §7, MS-PRES §2.2.2.
#include <algorithm>
#include <boost/asio/post.hpp>
#include <chrono>

#include "gateway/app/sip_edge.hpp"
#include "sip/bridge/convert_answer.hpp"
#include "sip/bridge/convert_rlmi.hpp"
#include "sip/bridge/convert_subscription.hpp"

// GCC 12 (-O1, ASan): Asio coroutine frame new/delete false positive (see sip_net).
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

namespace fedgate::gateway {

namespace asio = boost::asio;
using presence::SubscriptionAction;
using presence::SubscriptionState;

namespace {

// A NOTIFY that only renews the expiry is reported once it moved this far (at most a quarter
// of the subscription's lifetime): the switchboard's refresh timer and stored expiry need no
// more precision (subscription_machine.hpp, Config::expires_slack).
constexpr std::chrono::seconds kReportSlack{300};

Watching watching(const presence::Address& watcher, const presence::Address& presentity) {
  return Watching{watcher.without_resource(), presentity.without_resource()};
}

sip::Answer answer(int status, std::string reason) {
  sip::Answer a;
  a.status = status;
  a.reason = std::move(reason);
  return a;
}

NotifierRecord notifier_record(const sip::DialogId& id, bool msrtc) {
  return NotifierRecord{id, msrtc};
}

presence::WallTime wall_now() { return std::chrono::system_clock::now(); }

// Whether a NOTIFY tells the switchboard anything about the subscription (not its document):
// a record never reported (new dialog, or restored), a state change, or an expiry moved
// further than `slack`. Each NOTIFY renews the expiry; reporting every one costs a switchboard
// hop per presence update. Records the state, and the expiry when reported.
bool report_needed(SubscriberRecord* held, SubscriptionState state, presence::WallTime expires,
                   std::chrono::seconds slack) {
  if (held == nullptr) {
    return true;
  }
  const bool report = held->expires == presence::WallTime{} || held->state != state ||
                      expires - held->expires > slack;
  held->state = state;
  if (report) {
    held->expires = expires;
  }
  return report;
}

}  // namespace

// --- SipSide: effects from the switchboard (its strand) onto the edge strand, in order.

void SipEdge::send_subscription(const presence::SendSubscription& e) {
  asio::post(strand_, [this, r = e.request] { subscription_effect(r); });
}

void SipEdge::send_presence(const presence::SendPresence& e) {
  asio::post(strand_, [this, e] { presence_effect(e); });
}

void SipEdge::refresh_subscription(const presence::RefreshSubscription& e) {
  asio::post(strand_, [this, s = e.subscription] { refresh_effect(s); });
}

void SipEdge::refuse_request(const presence::RefuseRequest& e) {
  asio::post(strand_, [this, e] { refusal_effect(e); });
}

void SipEdge::subscription_effect(presence::SubscriptionRequest r) {
  if (r.action == SubscriptionAction::approve || r.action == SubscriptionAction::deny) {
    answer_watcher(std::move(r));  // from the presentity to the SIP watcher
    return;
  }
  Watching w = watching(r.from, r.to);
  auto* held = book_.subscriber(w);
  if (r.action == SubscriptionAction::cancel) {
    if (held == nullptr) {
      metrics_.dropped("no_subscriber_dialog");
      return;
    }
    sip::DialogId id = held->dialog;
    book_.remove_subscriber(id);
    metrics_.effect("unsubscribe");
    spawn("sip_edge.unsubscribe", unsubscribe(std::move(id)));
    return;
  }
  if (held != nullptr || book_.subscribing(w)) {
    return;  // the agent holds (or is opening) this subscription and refreshes it itself
  }
  if (r.action == SubscriptionAction::probe) {
    metrics_.dropped("probe_unsupported");  // no fetch SUBSCRIBE in the agent yet
    log_.debug("sip.edge.probe_skipped", {{"peer", r.to.domain()}});
    return;
  }
  book_.begin_subscribe(w);
  metrics_.effect("subscribe");
  spawn("sip_edge.subscribe", subscribe(std::move(w)));
}

// approve / deny for a SIP watcher: the answer of a SUBSCRIBE being decided, or a NOTIFY.
void SipEdge::answer_watcher(presence::SubscriptionRequest r) {
  Watching w = watching(r.to, r.from);
  const bool approve = r.action == SubscriptionAction::approve;
  if (auto* pending = book_.pending(w)) {
    if (approve) {
      pending->approved = true;
    } else {
      pending->refusal = SipRefusal{603, "Decline"};
    }
    return;
  }
  if (book_.notifier(w) == nullptr) {
    metrics_.dropped("no_notifier_dialog");
    return;
  }
  notify_watcher(w, approve ? sip::SubState::active : sip::SubState::terminated, std::nullopt);
}

void SipEdge::presence_effect(presence::SendPresence e) {
  Watching w = watching(e.to, e.from);
  if (auto* pending = book_.pending(w)) {
    pending->first = std::move(e.presence);
    return;
  }
  const auto* n = book_.notifier(w);
  if (n == nullptr) {
    metrics_.dropped("no_notifier_dialog");
    return;
  }
  notify_watcher(w, sip::SubState::active, presence_body_for(e.presence, *policy(), n->msrtc));
}

// NOTIFYs of one dialog go out one at a time, in the order the switchboard produced them; a
// terminated one closes the record once sent.
void SipEdge::notify_watcher(const Watching& w, sip::SubState state,
                             std::optional<sip::Body> body) {
  auto* n = book_.notifier(w);
  if (n == nullptr || n->closing) {
    return;
  }
  if (n->batch) {
    notify_batch_resource(w, *n, state, std::move(body));
    return;
  }
  metrics_.effect("notify");
  n->closing = state == sip::SubState::terminated;
  n->queue.push_back(QueuedNotify{state, std::move(body)});
  if (!n->sending) {
    n->sending = true;
    spawn("sip_edge.notify", drain_notifies(w));
  }
}

// The agent refreshes the subscriptions it holds; the switchboard hears the expiry again.
// Without a live dialog (a restart, or one that ended) a new SUBSCRIBE goes out.
void SipEdge::refresh_effect(presence::Subscription s) {
  Watching w = watching(s.watcher, s.presentity);
  if (auto* held = book_.subscriber(w)) {
    if (held->expires > wall_now() + std::chrono::minutes(2)) {
      spawn("sip_edge.state", report_state(w, held->state, "", held->expires,
                                           encode_dialog_ref(held->dialog)));
    }
    return;
  }
  if (book_.subscribing(w)) {
    return;
  }
  book_.begin_subscribe(w);
  metrics_.effect("subscribe");
  spawn("sip_edge.subscribe", subscribe(std::move(w)));
}

void SipEdge::refusal_effect(presence::RefuseRequest e) {
  Watching w = watching(e.request.from, e.request.to);
  if (auto* pending = book_.pending(w)) {
    pending->refusal = refusal_for(e.refusal.condition);
    return;
  }
  notify_watcher(w, sip::SubState::terminated, std::nullopt);
}

asio::awaitable<void> SipEdge::subscribe(Watching w) {
  const bool microsoft = microsoft_peer(w.presentity.domain(), *policy());
  sip::SubscribeRequest request(w.watcher, w.presentity);
  request.accept = subscribe_accept(microsoft);
  request.supported = subscribe_supported(microsoft);
  auto op = agent_->subscribe(std::move(request));
  auto id = co_await std::move(op);
  book_.end_subscribe_attempt(w);
  if (id) {
    book_.add_subscriber(w, *id);  // a NOTIFY before the 200 may have added it already
  }  // else: the agent raised on_subscription_ended with the reason
}

asio::awaitable<void> SipEdge::unsubscribe(sip::DialogId id) {
  auto op = agent_->unsubscribe(std::move(id));
  auto done = co_await std::move(op);
  if (!done) {
    metrics_.dropped("unsubscribe_failed");
  }
}

asio::awaitable<void> SipEdge::drain_notifies(Watching w) {
  for (;;) {
    auto* n = book_.notifier(w);
    if (n == nullptr) {
      co_return;  // the dialog ended meanwhile
    }
    if (n->queue.empty()) {
      n->sending = false;
      if (n->closing) {
        book_.remove_notifier(w);
      }
      co_return;
    }
    QueuedNotify next = std::move(n->queue.front());
    n->queue.pop_front();
    sip::DialogId id = n->dialog;
    auto op = agent_->notify(std::move(id), next.state, std::move(next.body));
    auto sent = co_await std::move(op);
    if (!sent) {
      metrics_.dropped("notifier_gone");
    }
  }
}

presence::SipSubscriptionEvent SipEdge::state_event(const Watching& w,
                                                   presence::SubscriptionState s,
                                                   std::string reason, presence::WallTime expires,
                                                   std::string dialog) {
  presence::SipSubscriptionEvent e;
  e.watcher = w.watcher;
  e.presentity = w.presentity;
  e.state = s;
  e.reason = std::move(reason);
  e.expires = expires;
  e.sip_dialog = std::move(dialog);
  return e;
}

asio::awaitable<void> SipEdge::report_state(Watching w, presence::SubscriptionState s,
                                            std::string reason, presence::WallTime expires,
                                            std::string dialog) {
  auto op = switchboard_.on_sip_state(state_event(w, s, std::move(reason), expires,
                                                  std::move(dialog)));
  co_await std::move(op);
}

asio::awaitable<void> SipEdge::request(presence::SubscriptionRequest r) {
  auto op = switchboard_.on_subscription_request(std::move(r));
  co_await std::move(op);
}

// --- AgentEvents: SIP subscriptions and presence into the switchboard.

asio::awaitable<sip::Answer> SipEdge::on_subscribe(sip::SubscribeEvent e) {
  auto op = asio::co_spawn(strand_, decide_subscribe(std::move(e)), asio::use_awaitable);
  co_return co_await std::move(op);
}

// The switchboard decides while the SUBSCRIBE waits: its refusal, approval and first presence
// land in the pending answer (effects are posted to this strand before its call returns).
asio::awaitable<sip::Answer> SipEdge::decide_subscribe(sip::SubscribeEvent e) {
  metrics_.event("subscribe");
  if (sip::is_batch_subscribe(e.request)) {
    auto batching = decide_batch(std::move(e));
    sip::Answer batched = co_await std::move(batching);
    co_return batched;
  }
  auto r = sip::subscription_from_subscribe(e.request);
  if (!r) {
    auto refusal = sip::refusal_for(e.request, static_cast<sip::ConvertErrc>(r.error().value()));
    metrics_.refused("bad_subscribe");
    co_return answer(refusal.status, refusal.reason);
  }
  if (auto refused = screen_sender(r->from)) {
    co_return *refused;
  }
  Watching w = watching(r->from, r->to);
  book_.open_answer(w);
  auto deciding = request(*r);
  co_await std::move(deciding);
  PendingAnswer decided = book_.take_answer(w).value_or(PendingAnswer{});
  if (decided.refusal) {
    metrics_.refused("policy");
    co_return answer(decided.refusal->status, decided.refusal->reason);
  }
  sip::Answer a;
  a.state = decided.approved || decided.first ? sip::SubState::active : sip::SubState::pending;
  const bool msrtc = accepts_msrtc(e.request);
  if (decided.first) {
    a.body = presence_body_for(*decided.first, *policy(), msrtc);
  }
  if (r->action == SubscriptionAction::subscribe) {
    book_.add_notifier(w, notifier_record(e.dialog, msrtc));
  } else {
    a.state = sip::SubState::terminated;  // a fetch (Expires: 0): one NOTIFY, no dialog kept
  }
  co_return a;
}

asio::awaitable<sip::Answer> SipEdge::on_publish(sip::PublishEvent) {
  metrics_.refused("publish");  // presence is published to the home; fedgate keeps none
  co_return answer(501, "Not Implemented");
}

void SipEdge::on_notify(sip::NotifyEvent e) {
  asio::post(strand_, [this, e = std::move(e)]() mutable {
    auto presentity = e.parties.from.without_resource();
    auto w = book_.subscriber_of(e.dialog);
    if (!w) {  // piggy-backed or early NOTIFY: the attempt under way names the watcher
      auto watcher =
          e.parties.to.empty() ? book_.attempt_for(presentity) : e.parties.to.without_resource();
      if (!watcher) {
        metrics_.dropped("notify_unknown_dialog");
        return;
      }
      w = Watching{*watcher, presentity};
      book_.add_subscriber(*w, e.dialog);
      book_.subscriber(*w)->expires = {};  // a dialog new to the book is always reported
    }
    take_notify(std::move(*w), std::move(e));
  });
}

// On the edge strand, without a coroutine: what goes to the switchboard is queued, in order.
void SipEdge::take_notify(Watching w, sip::NotifyEvent e) {
  metrics_.event("notify");
  auto state = state_from(e.notification.state);
  const std::chrono::seconds lifetime(agent_config_.subscribe_expires);
  auto expires = wall_now() + lifetime;
  const bool report =
      report_needed(book_.subscriber(w), state, expires, std::min(kReportSlack, lifetime / 4));
  if (state == SubscriptionState::terminated) {
    return;  // the agent reports the end (on_subscription_ended) with its reason
  }
  Upcall call;
  if (report) {
    call.state = state_event(w, state, "", expires, encode_dialog_ref(e.dialog));
  }
  if (!e.notification.body.bytes.empty()) {
    take_document(w, std::move(e.notification.body), call);
  }
  if (call.state || !call.documents.empty()) {
    upcall(std::move(call));
  }
}

// One document, or one per RLMI resource; Lync deltas merge into the presence held.
void SipEdge::take_document(const Watching& w, sip::Body body, Upcall& call) {
  const presence::Address& presentity = w.presentity;
  auto parsed = sip::presence_from_notify_body(body.type, body.bytes, presentity);
  if (!parsed) {
    metrics_.dropped("bad_presence_body");
    log_.info("sip.edge.presence_unreadable",
              {{"peer", presentity.domain()}, {"error", parsed.error().message()}});
    return;
  }
  std::vector<sip::SipPresenceDocument> documents;
  if (auto* one = std::get_if<sip::SipPresenceDocument>(&*parsed)) {
    documents.push_back(std::move(*one));
  } else {
    for (auto& resource : std::get<sip::RlmiNotice>(*parsed).resources) {
      if (resource.resubscribe) {  // MS-PRES: a single subscription to that contact
        resubscribe_singly(w.watcher, resource.resource);
      } else if (resource.document) {
        documents.push_back(std::move(*resource.document));
      }
    }
  }
  for (auto& doc : documents) {
    auto merged = sip::merge_presence(book_.held(doc.presence.entity), doc);
    if (!merged) {
      metrics_.dropped("stale_presence");
      continue;
    }
    book_.hold(*merged);
    call.documents.push_back(std::move(*merged));
  }
}

void SipEdge::on_subscription_ended(sip::SubscriptionEndedEvent e) {
  asio::post(strand_, [this, e = std::move(e)] {
    auto presentity = e.presentity.without_resource();
    auto w = book_.remove_subscriber(e.dialog);
    if (!w) {
      auto watcher = book_.attempt_for(presentity);
      if (!watcher) {
        metrics_.dropped("ended_unknown_dialog");
        return;
      }
      w = Watching{*watcher, presentity};
      book_.end_subscribe_attempt(*w);
    }
    metrics_.event("subscription_ended");
    log_.info("sip.edge.subscription_ended",
              {{"peer", presentity.domain()}, {"status", e.end.status}, {"reason", end_reason(e.end)}});
    spawn("sip_edge.ended", report_state(*w, SubscriptionState::terminated, end_reason(e.end),
                                         wall_now(), ""));
  });
}

// An un-SUBSCRIBE cancels the bridged subscription (RFC 8048 §5.3); an expiry or a failed
// NOTIFY only forgets the dialog (the watcher's next SUBSCRIBE finds the subscription again).
void SipEdge::on_watcher_gone(sip::WatcherGoneEvent e) {
  asio::post(strand_, [this, e = std::move(e)] {
    auto gone = book_.remove_notifiers(e.dialog);  // a batch's dialog carries several
    book_.remove_batch(e.dialog);
    if (e.reason != "unsubscribed") {
      return;
    }
    for (auto& w : gone) {
      metrics_.event("watcher_gone");
      presence::SubscriptionRequest r;
      r.action = SubscriptionAction::cancel;
      r.from = w.watcher;
      r.to = w.presentity;
      r.id = e.dialog.call_id;
      spawn("sip_edge.cancel", request(std::move(r)));
    }
  });
}

}  // namespace fedgate::gateway
