// SipAgent, session-mode IM (MS-SIPRE, RFC 3261 §13-15): incoming INVITE with the first
// message in ms-text-format, ACK, in-dialog MESSAGE/INFO/BYE; outgoing INVITE, its ACK (sent
// outside any transaction, §13.2.2.4), MESSAGE, BYE; the 10-minute idle timeout.
#include "sip/bridge/agent.hpp"

// GCC 12 (-O1, ASan): Asio coroutine frame new/delete false positive (see agent.cpp).
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

#include <fmt/format.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "sip/bridge/options.hpp"
#include "sip/codec/error_response.hpp"
#include "sip/dialog/dialog_error.hpp"

namespace fedgate::sip {

namespace asio = boost::asio;
namespace {

ImSdp our_sdp(const AgentConfig& config) {
  ImSdp sdp;
  sdp.origin_address = config.routing_fqdn;
  sdp.connection_address = config.routing_fqdn;
  sdp.port = config.port;
  sdp.accept_types = {"text/plain", "text/html", "application/im-iscomposing+xml",
                      "text/x-msmsgsinvite"};
  return sdp;
}

NameAddr name_addr(const presence::Address& a) {
  return NameAddr::parse(fmt::format("<sip:{}>", a.bare())).value();
}

// The INVITE of a new session from `from` to `to`; `first` travels in ms-text-format.
ImInviteParams invite_params(const AgentConfig& config, const presence::Address& from,
                             const presence::Address& to, std::optional<Body> first,
                             LocalEndpoint local, std::mt19937_64& random) {
  auto tag = [&] { return fmt::format("{:016x}", random()); };
  ImInviteParams p;
  p.target = name_addr(to).uri;
  p.from = name_addr(from);
  set_param(p.from.params, "tag", tag());
  p.to = name_addr(to);
  p.call_id = fmt::format("{}@{}", tag(), config.routing_fqdn);
  p.conversation_id = tag();
  p.local = std::move(local);
  p.sdp = our_sdp(config);
  if (first) {
    MsTextFormat text;
    text.content_type = first->type.type + "/" + first->type.subtype;
    text.body = std::move(first->bytes);
    p.first_message = std::move(text);
  }
  p.supported = {std::string(kTextFormatTag)};
  return p;
}

// Built outside coroutines: GCC 12 mishandles aggregate braces in coroutine bodies.
MessageResult failed_message(int status) {
  return MessageResult{0, status == 481 ? MessageOutcome::dialog_dead : MessageOutcome::failed,
                       status};
}

}  // namespace

// MS-SIPRE: accept the INVITE unless the layer above refuses; the first message goes up with
// the INVITE event, and the 200 says (Supported: ms-text-format) that it was read.
asio::awaitable<void> SipAgent::serve_invite(TxId tx, Request request, Parties parties) {
  ImActions actions;
  const std::string tag = new_tag();
  auto session =
      ImSession::incoming(request, tag, local_endpoint(), our_sdp(config_), Clock::now(), actions);
  if (!session) {
    auto e = static_cast<DialogErrc>(session.error().value());
    refuse(tx, request, status_for(e), "not_session_im");
    co_return;
  }
  InviteEvent e;
  e.parties = parties;
  e.request = request;
  e.dialog = session->dialog().id();
  e.first_message = actions.received;
  inviting_.insert(tx);
  auto deciding = events_.on_invite(std::move(e));
  Answer a = co_await std::move(deciding);
  if (inviting_.erase(tx) == 0) {
    co_return;  // cancelled meanwhile: the 487 has gone out (§9.2)
  }
  if (a.status >= 300) {
    answer(tx, request, a, tag);
    co_return;
  }
  respond(tx, std::move(*actions.respond));
  SubscriberKey key{request.call_id, tag};
  sessions_.insert_or_assign(key, SessionEntry(std::move(*session), std::move(parties)));
  actions.respond.reset();
  actions.received.reset();
  on_session_actions(key, std::move(actions));
}

// ACK, MESSAGE, INFO or BYE in a session (481 when there is none; ACK is never answered).
void SipAgent::serve_in_session(TxId tx, const Request& request) {
  SubscriberKey key{request.call_id, request.to.tag().value_or("")};
  auto it = sessions_.find(key);
  if (it == sessions_.end()) {
    if (request.method != Method::ack) {
      refuse(tx, request, 481, "unknown_dialog");
    }
    return;
  }
  ImActions actions = it->second.usage.on_request(request, Clock::now());
  if (actions.respond && actions.received && actions.respond->status < 300) {
    // The 2xx waits for the layer above: a message is acknowledged only once it is held.
    if (!decide_session_message_now(tx, request, key, *actions.respond, *actions.received)) {
      tasks_.spawn("sip.agent.session_message",
                   answer_session_message(tx, request, key, std::move(*actions.respond),
                                          std::move(*actions.received)));
    }
    actions.respond.reset();
    actions.received.reset();
  } else if (actions.respond && request.method != Method::ack) {
    respond(tx, std::move(*actions.respond));
    actions.respond.reset();
  }
  on_session_actions(key, std::move(actions));
}

SessionMessageEvent SipAgent::session_message_event(const SubscriberKey& key,
                                                    const Request& request, Body body) const {
  SessionMessageEvent e;
  if (auto it = sessions_.find(key); it != sessions_.end()) {
    e.parties = it->second.parties;
    e.dialog = it->second.usage.has_dialog() ? it->second.usage.dialog().id() : DialogId{};
  }
  e.body = std::move(body);
  e.cseq = request.cseq.sequence;
  return e;
}

// The layer above decides without a coroutine when it can (AgentEvents); its answer comes back
// onto the strand. Until then stopped() counts it as queued: it will touch the agent.
bool SipAgent::decide_session_message_now(TxId tx, const Request& request, const SubscriberKey& key,
                                          Response& ok, Body& body) {
  SessionMessageEvent e = session_message_event(key, request, std::move(body));
  auto answered = std::make_shared<std::pair<Request, Response>>(request, std::move(ok));
  std::function<void(Answer)> done = [this, tx, answered](Answer a) {
    asio::post(strand_, [this, tx, answered, a = std::move(a)] {
      if (a.status < 300) {
        respond(tx, std::move(answered->second));
      } else {
        answer(tx, answered->first, a);
      }
      queued_.fetch_sub(1);
    });
  };
  queued_.fetch_add(1);
  if (events_.decide_session_message_now(e, done)) {
    return true;
  }
  queued_.fetch_sub(1);
  ok = std::move(answered->second);  // the coroutine way answers
  body = std::move(e.body);
  return false;
}

asio::awaitable<void> SipAgent::answer_session_message(TxId tx, Request request, SubscriberKey key,
                                                       Response ok, Body body) {
  SessionMessageEvent e = session_message_event(key, request, std::move(body));
  auto deciding = events_.decide_session_message(std::move(e));
  Answer a = co_await std::move(deciding);
  if (a.status < 300) {
    respond(tx, std::move(ok));
  } else {
    answer(tx, request, a);
  }
}

void SipAgent::on_session_actions(const SubscriberKey& key, ImActions actions) {
  auto it = sessions_.find(key);
  if (it == sessions_.end()) {
    return;
  }
  auto& entry = it->second;
  const DialogId id = entry.usage.has_dialog() ? entry.usage.dialog().id() : DialogId{};
  if (actions.received) {
    events_.on_session_message(SessionMessageEvent{entry.parties, id, *actions.received});
  }
  if (actions.send) {
    tasks_.spawn("sip.agent.session_send", transact(std::move(*actions.send)));  // a BYE
  }
  if (entry.wake) {
    session_wakes_.erase({*entry.wake, key});
    entry.wake.reset();
  }
  if (actions.ended) {
    events_.on_session_ended(SessionEndedEvent{id, *actions.ended});
    sessions_.erase(it);
    return;
  }
  if (actions.wake_at) {
    entry.wake = actions.wake_at;
    session_wakes_.emplace(*actions.wake_at, key);
  }
}

void SipAgent::wake_sessions(TimePoint now) {
  while (!session_wakes_.empty() && session_wakes_.begin()->first <= now) {
    SubscriberKey key = session_wakes_.begin()->second;
    session_wakes_.erase(session_wakes_.begin());
    auto& entry = sessions_.at(key);
    entry.wake.reset();
    on_session_actions(key, entry.usage.on_wake(now, branches_));
  }
}

// The ACK of a 2xx goes to the dialog's next hop without a transaction (§13.2.2.4, §17.1.1.3).
asio::awaitable<void> SipAgent::send_outside_transaction(Request request) {
  auto locating = routes_.next_hops(request);
  auto hops = co_await std::move(locating);
  if (!hops || hops->empty()) {
    co_return;
  }
  PeerKey peer(hops->front().host, hops->front().port, hops->front().transport);
  auto connecting = pool_.connect(peer);
  auto conn = co_await std::move(connecting);
  if (conn) {
    auto sent = conn->send(request);
    (void)sent;  // a lost ACK makes the peer's INVITE server transaction time out (Timer H)
  }
}

asio::awaitable<SessionOpened> SipAgent::open_session(presence::Address from, presence::Address to,
                                                      std::optional<Body> first) {
  ImInviteParams p = invite_params(config_, from, to, std::move(first), local_endpoint(), random_);
  Parties parties;
  parties.from = std::move(from);
  parties.to = std::move(to);
  auto on_strand = [this, p = std::move(p),
                    parties = std::move(parties)]() mutable -> asio::awaitable<SessionOpened> {
    SubscriberKey key{p.call_id, p.from.tag().value_or("")};
    ImSession usage = ImSession::outgoing(std::move(p));
    Request invite = usage.invite(branches_);
    sessions_.insert_or_assign(key, SessionEntry(std::move(usage), std::move(parties)));
    auto sending = transact(std::move(invite));
    Response response = co_await std::move(sending);
    SessionOpened opened;
    opened.status = response.status;
    auto it = sessions_.find(key);
    if (it == sessions_.end()) {
      co_return opened;
    }
    ImActions actions = it->second.usage.on_invite_response(response, branches_, Clock::now());
    opened.first_delivered = actions.first_delivered;
    if (it->second.usage.has_dialog()) {
      opened.dialog = it->second.usage.dialog().id();
    }
    if (actions.send) {
      auto acking = send_outside_transaction(std::move(*actions.send));
      actions.send.reset();
      co_await std::move(acking);
    }
    on_session_actions(key, std::move(actions));
    co_return opened;
  };
  auto spawned = asio::co_spawn(strand_, std::move(on_strand), asio::use_awaitable);
  co_return co_await std::move(spawned);
}

asio::awaitable<MessageResult> SipAgent::send_in_session(DialogId session, Body body) {
  auto on_strand = [this, session,
                    body = std::move(body)]() mutable -> asio::awaitable<MessageResult> {
    SubscriberKey key{session.call_id, session.local_tag};
    auto message = session_message(key, std::move(body));
    if (!message) {
      co_return failed_message(481);
    }
    auto sending = transact(std::move(*message));
    Response response = co_await std::move(sending);
    co_return session_message_result(key, response);
  };
  auto spawned = asio::co_spawn(strand_, std::move(on_strand), asio::use_awaitable);
  co_return co_await std::move(spawned);
}

// As send_in_session, through start_request(): no coroutine when the hop is connected.
void SipAgent::send_in_session_now(DialogId session, Body body,
                                   std::function<void(MessageResult)> done) {
  auto on_strand = [this, session = std::move(session), body = std::move(body),
                    done = std::move(done)]() mutable {
    SubscriberKey key{session.call_id, session.local_tag};
    auto message = session_message(key, std::move(body));
    if (!message) {
      done(failed_message(481));
      return;
    }
    start_request(std::move(*message), [this, key, done = std::move(done)](Response response) {
      done(session_message_result(key, response));
    });
  };
  queued_.fetch_add(1);  // stopped() waits for it: it touches the agent
  asio::post(strand_, [this, on_strand = std::move(on_strand)]() mutable {
    on_strand();
    queued_.fetch_sub(1);
  });
}

// The MESSAGE carrying `body` in an established session; nullopt when there is none (481).
std::optional<Request> SipAgent::session_message(const SubscriberKey& key, Body body) {
  auto it = sessions_.find(key);
  if (it == sessions_.end() || it->second.usage.state() != ImState::established) {
    return std::nullopt;
  }
  return it->second.usage.send_message(std::move(body), branches_, Clock::now());
}

// What the session makes of its MESSAGE's final response (481 if it ended meanwhile).
MessageResult SipAgent::session_message_result(const SubscriberKey& key, const Response& response) {
  auto it = sessions_.find(key);
  if (it == sessions_.end()) {
    return failed_message(481);
  }
  ImActions actions = it->second.usage.on_message_response(response, Clock::now());
  MessageResult outcome = actions.message.value_or(failed_message(response.status));
  on_session_actions(key, std::move(actions));
  return outcome;
}

asio::awaitable<void> SipAgent::bye(DialogId session) {
  auto on_strand = [this, session]() -> asio::awaitable<void> {
    SubscriberKey key{session.call_id, session.local_tag};
    auto it = sessions_.find(key);
    if (it == sessions_.end() || !it->second.usage.has_dialog()) {
      co_return;
    }
    Request r = it->second.usage.bye(branches_);
    if (it->second.wake) {
      session_wakes_.erase({*it->second.wake, key});
    }
    sessions_.erase(it);
    auto sending = transact(std::move(r));
    co_await std::move(sending);
  };
  auto spawned = asio::co_spawn(strand_, std::move(on_strand), asio::use_awaitable);
  co_await std::move(spawned);
}

}  // namespace fedgate::sip
