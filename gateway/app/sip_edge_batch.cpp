// SipEdge, batched subscriptions of SIP watchers (MS-PRES §3.7.5.4, RFC 4662): a Lync edge
// subscribes to many contacts in one SUBSCRIBE (Require: adhoclist, categoryList). Each listed
// resource is one ordinary subscription of the watcher in the switchboard; the dialog is
// answered 200 with a full-state RLMI list (piggy-backed when offered) and later changes go
// out as partial RLMI lists in the same dialog — presence as BENOTIFY when ms-benotify was
// offered, instance state changes (pending → active, terminated) as NOTIFY.
#include <fmt/format.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "gateway/app/sip_edge.hpp"
#include "sip/bridge/convert_answer.hpp"
#include "sip/bridge/convert_subscription.hpp"

// GCC 12 (-O1, ASan): Asio coroutine frame new/delete false positive (see sip_net).
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

namespace fedgate::gateway {

namespace asio = boost::asio;
using presence::SubscriptionAction;

namespace {

constexpr int kNotifierWaits = 20;

sip::Answer batch_answer(int status, std::string reason) {
  sip::Answer a;
  a.status = status;
  a.reason = std::move(reason);
  return a;
}

// Built outside coroutines: GCC 12 mishandles aggregate braces in coroutine bodies.
BatchRecord batch_record(std::string list_uri, bool msrtc) {
  BatchRecord r;
  r.list_uri = std::move(list_uri);
  r.msrtc = msrtc;
  r.version = 1;     // 0 is the full list in the answer
  r.sending = true;  // held until the answer has gone
  return r;
}

NotifierRecord batch_member(const sip::DialogId& dialog, bool msrtc) {
  NotifierRecord r;
  r.dialog = dialog;
  r.msrtc = msrtc;
  r.batch = true;
  return r;
}

Watching relation(const presence::SubscriptionRequest& r) {
  return Watching{r.from.without_resource(), r.to.without_resource()};
}

sip::ResourceInstance instance(const presence::Address& resource, std::string state) {
  sip::ResourceInstance r;
  r.resource = resource.without_resource();
  r.state = std::move(state);
  return r;
}

}  // namespace

std::string SipEdge::next_boundary() {
  return fmt::format("fgrlmi{:x}{:x}", ++boundaries_,
                     static_cast<std::uint64_t>(Clock::now().time_since_epoch().count()));
}

// The whole list decided while the SUBSCRIBE waits: one switchboard request per resource.
asio::awaitable<sip::Answer> SipEdge::decide_batch(sip::SubscribeEvent e) {
  metrics_.event("batch_subscribe");
  auto requests = sip::subscriptions_from_batch(e.request);
  if (!requests) {
    auto refusal =
        sip::refusal_for(e.request, static_cast<sip::ConvertErrc>(requests.error().value()));
    metrics_.refused("bad_batch_subscribe");
    co_return batch_answer(refusal.status, refusal.reason);
  }
  if (auto refused = screen_sender(e.parties.from)) {
    co_return *refused;
  }
  const bool msrtc = accepts_msrtc(e.request);
  const bool fetch = e.request.expires == 0u;
  const std::string list_uri = fmt::format("sip:{}", e.parties.to.bare());
  if (!fetch) {  // changes decided meanwhile queue up until the answer has gone
    book_.add_batch(e.dialog, batch_record(list_uri, msrtc));
  }
  std::vector<sip::ResourceInstance> list;
  for (auto& r : *requests) {
    if (fetch) {
      r.action = r.action == SubscriptionAction::cancel ? r.action : SubscriptionAction::probe;
    }
    auto deciding = decide_resource(std::move(r), e.dialog, msrtc);
    sip::ResourceInstance decided = co_await std::move(deciding);
    list.push_back(std::move(decided));
  }
  sip::Answer a;
  a.state = fetch ? sip::SubState::terminated : sip::SubState::active;
  a.body = sip::rlmi_body_for(list_uri, 0, true, list, next_boundary());
  if (book_.batch(e.dialog) != nullptr) {
    spawn("sip_edge.batch_notify", drain_batch(e.dialog));  // after the answer, in order
  }
  log_.debug("sip.edge.batch_subscribe",
             {{"peer", e.parties.from.domain()}, {"resources", list.size()}});
  co_return a;
}

// One resource: the switchboard's decision (refusal, approval, first presence) as its
// instance; a resource that is not refused joins the batch's dialog.
asio::awaitable<sip::ResourceInstance> SipEdge::decide_resource(presence::SubscriptionRequest r,
                                                                sip::DialogId dialog, bool msrtc) {
  Watching w = relation(r);
  const SubscriptionAction action = r.action;
  book_.open_answer(w);
  auto deciding = request(std::move(r));
  co_await std::move(deciding);
  PendingAnswer decided = book_.take_answer(w).value_or(PendingAnswer{});
  if (action != SubscriptionAction::subscribe || decided.refusal) {
    auto out = instance(w.presentity, "terminated");
    out.reason = decided.refusal ? "rejected" : "noresource";
    if (decided.refusal) {
      metrics_.refused("policy");
    }
    co_return out;
  }
  auto out = instance(w.presentity, decided.approved || decided.first ? "active" : "pending");
  if (decided.first) {
    out.document = presence_body_for(*decided.first, *policy(), msrtc);
  }
  book_.add_notifier(w, batch_member(dialog, msrtc));
  co_return out;
}

// A change for one resource of a batch: a partial RLMI list in the batch's dialog, in order.
void SipEdge::notify_batch_resource(const Watching& w, const NotifierRecord& n, sip::SubState state,
                                    std::optional<sip::Body> body) {
  const sip::DialogId id = n.dialog;
  BatchRecord* b = book_.batch(id);
  if (b == nullptr) {
    return;
  }
  auto one = instance(w.presentity, std::string(sip::to_string(state)));
  if (state == sip::SubState::terminated) {
    one.reason = "rejected";
    book_.remove_notifier(w);  // the other resources stay in the dialog
  }
  const bool presence_only = state == sip::SubState::active && body.has_value();
  one.document = std::move(body);
  QueuedNotify next;
  next.state = sip::SubState::active;  // the dialog stays; the instance carries the change
  next.body =
      sip::rlmi_body_for(b->list_uri, b->version++, false, {std::move(one)}, next_boundary());
  next.best_effort = presence_only;
  b->queue.push_back(std::move(next));
  metrics_.effect(presence_only ? "batch_benotify" : "batch_notify");
  if (!b->sending) {
    b->sending = true;
    spawn("sip_edge.batch_notify", drain_batch(id));
  }
}

// The agent holds the notifier once the 200 has gone: until then (a short while) a NOTIFY
// finds no dialog and is tried again, at most kNotifierWaits times.
asio::awaitable<void> SipEdge::drain_batch(sip::DialogId id) {
  asio::steady_timer pause(strand_);
  int waits = 0;
  for (;;) {
    BatchRecord* b = book_.batch(id);
    if (b == nullptr) {
      co_return;  // the dialog ended meanwhile
    }
    if (b->queue.empty()) {
      b->sending = false;
      co_return;
    }
    QueuedNotify next = b->queue.front();
    sip::DialogId dialog = id;
    auto op = agent_->notify(std::move(dialog), next.state, std::move(next.body), next.best_effort);
    auto sent = co_await std::move(op);
    if (!sent && ++waits <= kNotifierWaits) {
      pause.expires_after(std::chrono::milliseconds(50));
      auto [ec] = co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
      if (!ec) {
        continue;
      }
    }
    if (!sent) {
      metrics_.dropped("notifier_gone");
    }
    if (BatchRecord* still = book_.batch(id); still && !still->queue.empty()) {
      still->queue.pop_front();
    }
  }
}

// MS-PRES: a resource of a list fedgate receives in state "resubscribe" is answered with a
// single SUBSCRIBE of the same watcher to that contact, unless one is held or under way.
void SipEdge::resubscribe_singly(const presence::Address& watcher,
                                 const presence::Address& contact) {
  Watching w{watcher.without_resource(), contact.without_resource()};
  if (book_.subscriber(w) != nullptr || book_.subscribing(w)) {
    return;
  }
  metrics_.effect("resubscribe");
  book_.begin_subscribe(w);
  spawn("sip_edge.subscribe", subscribe(std::move(w)));
}

}  // namespace fedgate::gateway
