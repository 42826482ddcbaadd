// Switchboard, instant messages: route() → Outbox::accept (the durability point) → deliver over
// XMPP or through the ChatSessionMachine to the SIP side; bounces back to the sender; delivery
// settling; open-federation discovery. Accepts and delivered marks are group-committed by the
// outbox (no pool thread held while waiting). STYLE.md B2 steps 4-7, RFC 7572, RFC 7247 §7.
#include <fmt/format.h>

#include <algorithm>
#include <boost/asio/async_result.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <memory>
#include <optional>

#include "gateway/app/switchboard.hpp"
#include "gateway/app/switchboard_blocking.hpp"
#include "xmpp/bridge/stanza_out.hpp"

namespace fedgate::gateway {

namespace asio = boost::asio;
using presence::ErrorCondition;

namespace {

// Chat states and other body-less notifications are not stored: nothing is lost if they are.
bool durable(const presence::MessageContent& c) {
  return !c.body.empty() || !c.subject.empty() || !c.formatted_body.empty();
}

std::string_view mode_name(presence::DeliveryMode m) {
  switch (m) {
    case presence::DeliveryMode::xmpp_stanza:
      return "xmpp";
    case presence::DeliveryMode::sip_session:
      return "sip_session";
    case presence::DeliveryMode::sip_page:
      return "sip_page";
  }
  return "unknown";
}

// Waits for an outbox write handed to `start` (which gets the port's callback) and resumes
// on the caller's executor (the strand). The callback may run on any thread, exactly once,
// after the commit; the result travels in an optional (awaitable results need a default).
template <class T, class Start>
asio::awaitable<presence::PortResult<T>> committed(Start start) {
  using Result = std::optional<presence::PortResult<T>>;
  auto init = [start = std::move(start)](auto handler) mutable {
    auto work = asio::make_work_guard(asio::get_associated_executor(handler));
    auto held = std::make_shared<decltype(handler)>(std::move(handler));
    start([held, work](presence::PortResult<T> r) {
      asio::post(work.get_executor(),
                 [held, r = std::move(r)]() mutable { std::move(*held)(Result{std::move(r)}); });
    });
  };
  auto op = asio::async_initiate<const asio::use_awaitable_t<>&, void(Result)>(std::move(init),
                                                                               asio::use_awaitable);
  Result out = co_await std::move(op);
  co_return std::move(*out);
}

// A delivered mark written in the background: its callback only counts.
void mark_delivered_now(presence::Outbox& outbox, SwitchboardMetrics& metrics, std::int64_t id) {
  outbox.mark_delivered_async(id, [&metrics](const presence::PortResult<presence::Done>& r) {
    if (r) {
      metrics.delivered();
    } else {
      metrics.store_error("outbox_mark_delivered");
    }
  });
}

}  // namespace

asio::awaitable<void> Switchboard::handle_message(presence::InboundMessage in, MessageReply reply) {
  auto policy = snapshot();
  if (policy == nullptr) {
    refuse_unloaded(reply);
    co_return;
  }
  auto decision = presence::route(in, *policy);
  if (auto* d = std::get_if<presence::Discover>(&decision)) {
    bool found = co_await discover(d->domain);
    policy = snapshot();
    decision = found ? presence::route(in, *policy)
                     : presence::Decision{presence::Refuse{ErrorCondition::remote_server_not_found,
                                                           "discovery_failed"}};
  }
  if (auto m = decided(in, std::move(decision), reply)) {
    co_await accept_and_deliver(std::move(*m), std::move(reply));
  }
}

void Switchboard::refuse_unloaded(const MessageReply& reply) {
  metrics_.decision("message", "refuse", "policy_not_loaded");
  if (reply.refused) {
    reply.refused({ErrorCondition::service_unavailable, ""});
  }
}

// The message to deliver, or nullopt once refused or dropped (counted, logged, told).
std::optional<presence::OutboundMessage> Switchboard::decided(const presence::InboundMessage& in,
                                                              presence::Decision decision,
                                                              const MessageReply& reply) {
  if (auto* deliver = std::get_if<presence::Deliver>(&decision)) {
    metrics_.decision("message", "deliver");
    return std::move(deliver->message);
  }
  if (auto* refuse = std::get_if<presence::Refuse>(&decision)) {
    metrics_.decision("message", "refuse", refuse->reason);
    log_.info("im.refused", {{"msg", in.id},
                             {"peer", in.from.domain()},
                             {"to_domain", in.to.domain()},
                             {"reason", refuse->reason}});
    if (reply.refused) {
      reply.refused({refuse->condition, ""});
    }
  } else if (auto* drop = std::get_if<presence::Drop>(&decision)) {
    metrics_.decision("message", "drop", drop->reason);
    log_.info("im.dropped", {{"msg", in.id}, {"peer", in.from.domain()}, {"reason", drop->reason}});
  } else {
    metrics_.decision("message", "refuse", "discovery_loop");
    if (reply.refused) {
      reply.refused({ErrorCondition::remote_server_not_found, ""});
    }
  }
  return std::nullopt;
}

// on_message without a coroutine (any thread) unless the restore holds input or the route needs
// discovery: the outbox commit's callback comes back onto the strand, tells the sender, runs
// `finished` and delivers (deliver_now).
void Switchboard::on_message_now(presence::InboundMessage in, MessageReply reply,
                                 std::function<void()> finished) {
  asio::post(strand_, [this, in = std::move(in), reply = std::move(reply),
                       finished = std::move(finished)]() mutable {
    take_message(std::move(in), std::move(reply), std::move(finished));
  });
}

// On the strand: on_message_now's work, and a batch's XMPP messages (take_batch).
void Switchboard::take_message(presence::InboundMessage in, MessageReply reply,
                               std::function<void()> finished) {
  auto policy = snapshot();
  auto decision = policy ? presence::route(in, *policy) : presence::Decision{};
  if (held_ || policy == nullptr || std::holds_alternative<presence::Discover>(decision)) {
    auto slow = [](Switchboard* self, presence::InboundMessage i, MessageReply r,
                   std::function<void()> f) -> asio::awaitable<void> {
      co_await self->handle_message(std::move(i), std::move(r));
      f();
    };
    deps_.tasks.spawn(
        "switchboard.message",
        on_strand(gated(slow(this, std::move(in), std::move(reply), std::move(finished)))));
    return;
  }
  auto m = decided(in, std::move(decision), reply);
  if (!m) {
    finished();
    return;
  }
  accept_now(std::move(*m), std::move(reply), std::move(finished));
}

void Switchboard::accept_now(presence::OutboundMessage m, MessageReply reply,
                             std::function<void()> finished) {
  if (!durable(m.content)) {
    if (reply.accepted) {
      reply.accepted();
    }
    finished();
    deliver_now(std::move(m));
    return;
  }
  auto held = std::make_shared<presence::OutboundMessage>(std::move(m));
  auto on_commit = [this, held, reply = std::move(reply),
                    finished = std::move(finished)](presence::PortResult<std::int64_t> id) {
    asio::post(strand_, [this, held, id, reply = std::move(reply), finished = std::move(finished)] {
      const bool ok = accepted(*held, id, reply);
      finished();
      if (ok) {
        deliver_now(std::move(*held));
      }
    });
  };
  deps_.outbox.accept_async(*held, std::move(on_commit));
}

// After the outbox write: the sender is told (accepted, or refused when the write failed).
bool Switchboard::accepted(presence::OutboundMessage& m,
                           const presence::PortResult<std::int64_t>& id,
                           const MessageReply& reply) {
  if (!id) {
    metrics_.store_error("outbox_accept");
    log_.error("im.not_accepted", {{"msg", m.in_id}, {"error", presence::to_string(id.error())}});
    if (reply.refused) {
      reply.refused({ErrorCondition::internal_server_error, ""});
    }
    return false;
  }
  m.outbox_id = *id;
  if (reply.accepted) {
    reply.accepted();
  }
  return true;
}

asio::awaitable<void> Switchboard::accept_and_deliver(presence::OutboundMessage m,
                                                      MessageReply reply) {
  if (durable(m.content)) {
    auto accepting = committed<std::int64_t>([this, &m](presence::Outbox::AcceptDone done) {
      deps_.outbox.accept_async(m, std::move(done));
    });
    auto id = co_await std::move(accepting);
    if (!accepted(m, id, reply)) {
      co_return;
    }
  } else if (reply.accepted) {
    reply.accepted();
  }
  co_await deliver(std::move(m));
}

asio::awaitable<void> Switchboard::deliver(presence::OutboundMessage m) {
  log_.debug("im.deliver",
             {{"msg", m.in_id}, {"outbox", m.outbox_id}, {"mode", mode_name(m.mode)}});
  if (m.mode == presence::DeliveryMode::xmpp_stanza) {
    deliver_xmpp(std::move(m));
    co_return;
  }
  if (sip_ == nullptr) {
    metrics_.sip_unavailable("message");
    // GCC 12 destroys temporaries of a co_await expression twice: name every argument.
    presence::StanzaError error{ErrorCondition::remote_server_not_found,
                                "no SIP connection manager on this node"};
    co_await bounce(std::move(m), std::move(error), "sip_side_missing");
    co_return;
  }
  auto fx = chat_.on_outbound(std::move(m), Clock::now());
  co_await run_chat(std::move(fx));
}

void Switchboard::deliver_xmpp(presence::OutboundMessage m) {
  auto id = m.outbox_id > 0 ? fmt::format("fg-{}", m.outbox_id)
                            : fmt::format("fg-e{}", ++next_ephemeral_);
  auto stanza = xmpp::message_stanza(m, id);
  auto from = std::string(m.from.domain());
  auto to = std::string(m.to.domain());
  if (m.outbox_id > 0) {
    in_flight_[id] = InFlight{std::move(m), Clock::now(), false};
  }
  send_xmpp(from, to, std::move(stanza));
}

// deliver on the strand without waiting, unless it bounces (no SIP side).
void Switchboard::deliver_now(presence::OutboundMessage m) {
  log_.debug("im.deliver",
             {{"msg", m.in_id}, {"outbox", m.outbox_id}, {"mode", mode_name(m.mode)}});
  if (m.mode == presence::DeliveryMode::xmpp_stanza) {
    deliver_xmpp(std::move(m));
  } else if (sip_ == nullptr) {
    deps_.tasks.spawn("switchboard.deliver", on_strand(deliver(std::move(m))));
  } else {
    run_chat_now(chat_.on_outbound(std::move(m), Clock::now()));
  }
}

asio::awaitable<void> Switchboard::bounce(presence::OutboundMessage m, presence::StanzaError error,
                                          std::string_view reason) {
  metrics_.bounced(reason);
  log_.info("im.bounced", {{"msg", m.in_id},
                           {"outbox", m.outbox_id},
                           {"peer", m.to.domain()},
                           {"condition", presence::to_string(error.condition)},
                           {"reason", reason}});
  if (m.outbox_id > 0) {
    auto done = co_await blocking(
        [this, &m, &error] { return deps_.outbox.mark_bounced(m.outbox_id, error); });
    if (!done) {
      metrics_.store_error("outbox_mark_bounced");
    }
  }
  auto policy = snapshot();
  if (policy == nullptr) {
    co_return;
  }
  auto notice = presence::bounce(m, error, *policy, config_.agent);
  if (notice.sip.has_value()) {
    if (sip_ != nullptr) {
      sip_->bounce(notice);
    } else {
      metrics_.sip_unavailable("bounce");
      log_.warn("im.bounce_lost", {{"msg", notice.in_id}, {"reason", "sip_side_missing"}});
    }
    co_return;
  }
  send_xmpp(notice.from.domain(), notice.to.domain(),
            xmpp::message_error_stanza(notice.in_id, notice.to, notice.from, notice.error));
}

asio::awaitable<void> Switchboard::run_chat(presence::ChatEffects fx) {
  for (auto& effect : fx.effects) {
    if (auto* done = std::get_if<presence::MarkDelivered>(&effect)) {
      co_await mark_delivered(done->outbox_id);
    } else if (auto* b = std::get_if<presence::Bounce>(&effect)) {
      co_await bounce(std::move(b->message), std::move(b->error), "sip_failure");
    } else {
      send_chat(effect);
    }
  }
  note_chat_wake(fx.wake_at);
}

// The effects that go to the SIP side (invites, in-dialog and page messages, byes).
void Switchboard::send_chat(const presence::ChatEffect& effect) {
  if (sip_ == nullptr) {
    metrics_.sip_unavailable("chat");
  } else if (auto* invite = std::get_if<presence::SendInvite>(&effect)) {
    sip_->send_invite(*invite);
  } else if (auto* in_dialog = std::get_if<presence::SendInDialog>(&effect)) {
    sip_->send_in_dialog(*in_dialog);
  } else if (auto* page = std::get_if<presence::SendPage>(&effect)) {
    sip_->send_page(*page);
  } else if (auto* bye = std::get_if<presence::SendBye>(&effect)) {
    sip_->send_bye(*bye);
  }
}

void Switchboard::note_chat_wake(std::optional<TimePoint> at) {
  if (at && (!chat_wake_ || *at < *chat_wake_)) {
    chat_wake_ = at;
  }
}

// run_chat on the strand without waiting: delivered marks complete in the background. A
// bounce (a store write, then the notice) and every effect after it take the coroutine way.
void Switchboard::run_chat_now(presence::ChatEffects fx) {
  auto& effects = fx.effects;
  auto bounce_at = std::find_if(effects.begin(), effects.end(), [](const auto& e) {
    return std::holds_alternative<presence::Bounce>(e);
  });
  for (auto it = effects.begin(); it != bounce_at; ++it) {
    if (auto* done = std::get_if<presence::MarkDelivered>(&*it)) {
      mark_delivered_now(deps_.outbox, metrics_, done->outbox_id);
    } else {
      send_chat(*it);
    }
  }
  if (bounce_at == effects.end()) {
    note_chat_wake(fx.wake_at);
    return;
  }
  presence::ChatEffects rest{
      {std::make_move_iterator(bounce_at), std::make_move_iterator(effects.end())}, fx.wake_at};
  deps_.tasks.spawn("switchboard.chat", on_strand(run_chat(std::move(rest))));
}

asio::awaitable<void> Switchboard::mark_delivered(std::int64_t outbox_id) {
  auto marking = committed<presence::Done>([this, outbox_id](presence::Outbox::FinishDone done) {
    deps_.outbox.mark_delivered_async(outbox_id, std::move(done));
  });
  auto done = co_await std::move(marking);
  if (done) {
    metrics_.delivered();
  } else {
    metrics_.store_error("outbox_mark_delivered");
  }
}

// No coroutine unless the restore holds input (any thread).
void Switchboard::on_xmpp_delivered(std::string stanza_id) {
  asio::post(strand_, [this, stanza_id = std::move(stanza_id)]() mutable {
    if (held_) {
      deps_.tasks.spawn("switchboard.delivered",
                        on_strand(gated(xmpp_delivered(std::move(stanza_id)))));
      return;
    }
    auto it = in_flight_.find(stanza_id);
    if (it != in_flight_.end() && !it->second.settled) {
      it->second.settled = true;
      mark_delivered_now(deps_.outbox, metrics_, it->second.message.outbox_id);
    }
  });
}

// An acknowledged stanza: its message is delivered now (a late bounce can still find it).
asio::awaitable<void> Switchboard::xmpp_delivered(std::string stanza_id) {
  auto it = in_flight_.find(stanza_id);
  if (it == in_flight_.end() || it->second.settled) {
    co_return;
  }
  it->second.settled = true;
  co_await mark_delivered(it->second.message.outbox_id);
}

// XMPP messages handed to the pool with no acknowledgement (on_xmpp_delivered) and no bounce
// after delivery_settle are delivered; entries stay bounce_memory for late bounces.
asio::awaitable<void> Switchboard::settle(TimePoint now) {
  std::vector<std::int64_t> settled;
  for (auto it = in_flight_.begin(); it != in_flight_.end();) {
    if (!it->second.settled && now - it->second.sent >= config_.delivery_settle) {
      it->second.settled = true;
      settled.push_back(it->second.message.outbox_id);
    }
    if (now - it->second.sent >= config_.bounce_memory) {
      it = in_flight_.erase(it);
    } else {
      ++it;
    }
  }
  for (auto id : settled) {
    co_await mark_delivered(id);
  }
}

asio::awaitable<bool> Switchboard::discover(const std::string& domain) {
  if (!deps_.discover) {
    metrics_.decision("discovery", "refuse", "discovery_unavailable");
    co_return false;
  }
  auto found = co_await deps_.discover(domain);
  if (!found) {
    metrics_.decision("discovery", "refuse", "discovery_failed");
    log_.info("federation.discovery_failed", {{"peer", domain}});
    co_return false;
  }
  metrics_.decision("discovery", "deliver", *found == presence::Protocol::xmpp ? "xmpp" : "sip");
  log_.info("federation.discovered",
            {{"peer", domain}, {"protocol", *found == presence::Protocol::xmpp ? "xmpp" : "sip"}});
  // Route with the new row now; the watcher's next policy version carries it from the database.
  discovered_.push_back({domain, *found});
  if (rows_ != nullptr) {
    rebuild_snapshot();
  }
  co_return true;
}

}  // namespace fedgate::gateway
