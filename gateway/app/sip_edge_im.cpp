// SipEdge, instant messages: the ChatSessionMachine's effects as agent requests (INVITE with the
// first message in ms-text-format, MESSAGE in the dialog, page-mode MESSAGE, BYE), their answers
// back to the switchboard, and SIP messages (page MESSAGE, INVITE, in-session MESSAGE, BYE) in.
// A far side that refuses session mode (405/501 to the INVITE) is served in page mode.
// RFC 3428, RFC 7572 §4-§7, RFC 7247 §7, MS-SIPRE (session-mode IM).
#include <fmt/format.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <memory>

#include "gateway/app/sip_edge.hpp"
#include "sip/bridge/convert_answer.hpp"
#include "sip/bridge/convert_message.hpp"

// GCC 12 (-O1, ASan): Asio coroutine frame new/delete false positive (see sip_net).
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

namespace fedgate::gateway {

namespace asio = boost::asio;
using presence::DeliveryMode;

namespace {

// How often a session's messages tell the switchboard it is active (its idle close: 10 min).
constexpr Duration kActivityInterval = std::chrono::seconds(5);

sip::Answer answer(int status, std::string reason) {
  sip::Answer a;
  a.status = status;
  a.reason = std::move(reason);
  return a;
}

bool success(int status) { return status >= 200 && status < 300; }

// The body for a message: its text, or a typing notification when it carries only a chat state.
std::optional<sip::Body> body_for(const presence::MessageContent& content, DeliveryMode mode) {
  if (!content.body.empty() || !content.formatted_body.empty()) {
    return sip::message_body_for(content, mode);
  }
  auto typing = sip::typing_for(content.chat_state, DeliveryMode::sip_page);  // isComposing
  if (!typing) {
    return std::nullopt;
  }
  return std::move(typing->body);
}

// What the switchboard hears of a MESSAGE in a session.
presence::SipAnswer in_session_answer(const sip::MessageResult& r) {
  return sip_answer(r.outcome == sip::MessageOutcome::delivered && r.status == 0 ? 200 : r.status);
}

// Built outside coroutines: GCC 12 mishandles aggregate braces in coroutine bodies.
SessionParties parties(const presence::Address& sip_user, const presence::Address& peer,
                       bool outgoing) {
  return SessionParties{sip_user.without_resource(), peer.without_resource(), outgoing};
}

// What the sender's side heard, filled in on the switchboard's strand.
struct Outcome {
  std::optional<presence::StanzaError> refused;
  bool accepted = false;
};

MessageReply reply_into(const std::shared_ptr<Outcome>& outcome) {
  MessageReply reply;
  reply.refused = [outcome](const presence::StanzaError& e) { outcome->refused = e; };
  reply.accepted = [outcome] { outcome->accepted = true; };
  return reply;
}

// The switchboard refused (RFC 7247 §7 status), accepted (stored: 200), or neither (dropped:
// 404, as for an unknown user).
sip::Answer answer_for(const Outcome& outcome, SipEdgeMetrics& metrics) {
  if (outcome.refused) {
    auto refusal = refusal_for(outcome.refused->condition);
    metrics.refused("message_refused");
    return answer(refusal.status, refusal.reason);
  }
  if (outcome.accepted) {
    return answer(200, "OK");
  }
  metrics.refused("message_dropped");
  return answer(404, "Not Found");
}

// A refused typing notification is answered 200 all the same.
sip::Answer session_answer(sip::Answer a, bool typing_only, const std::string& peer, Logger& log) {
  if (!success(a.status)) {
    log.info("sip.edge.session_message_refused", {{"peer", peer}, {"status", a.status}});
    if (typing_only) {
      a = answer(200, "OK");
    }
  }
  return a;
}

}  // namespace

// --- SipSide: chat effects (switchboard strand) run as tasks on the edge strand.

void SipEdge::send_invite(const presence::SendInvite& e) { spawn("sip_edge.invite", invite(e)); }

// A message in an established session dialog goes straight to the agent (no task: the agent
// keeps the order of calls); page mode and an unreadable dialog reference take the task way.
void SipEdge::send_in_dialog(const presence::SendInDialog& e) {
  auto id = e.session.sip_dialog == kPageModeSession ? std::nullopt
                                                     : decode_dialog_ref(e.session.sip_dialog);
  if (!id) {
    spawn("sip_edge.in_dialog", in_dialog(e));
    return;
  }
  metrics_.effect("message_in_dialog");
  auto body = body_for(e.message.content, DeliveryMode::sip_session);
  if (!body) {
    return;  // a chat state with no SIP form
  }
  agent_->send_in_session_now(std::move(*id), std::move(*body),
                              [this, outbox_id = e.message.outbox_id](sip::MessageResult r) {
                                if (outbox_id != 0) {
                                  switchboard_.on_message_answer(outbox_id, in_session_answer(r));
                                }
                              });
}

void SipEdge::send_page(const presence::SendPage& e) { spawn("sip_edge.page", page(e)); }

void SipEdge::send_bye(const presence::SendBye& e) { spawn("sip_edge.bye", bye(e)); }

void SipEdge::bounce(const presence::BounceNotice& notice) {
  spawn("sip_edge.bounce", bounce_notice(notice));
}

asio::awaitable<void> SipEdge::invite(presence::SendInvite e) {
  metrics_.effect("invite");
  auto first = body_for(e.first.content, DeliveryMode::sip_session);
  auto op = agent_->open_session(e.first.from, e.first.to, first);
  sip::SessionOpened opened = co_await std::move(op);
  presence::SipAnswer result = sip_answer(opened.status);
  std::string dialog;
  if (opened.status == 405 || opened.status == 501) {  // no session mode there: page mode
    metrics_.effect("page_fallback");
    auto paging = send_page_mode(e.first);
    result = co_await std::move(paging);
    dialog = std::string(kPageModeSession);
  } else if (success(opened.status)) {
    book_.add_session(opened.dialog, parties(e.session.sip_user, e.session.peer, true));
    dialog = encode_dialog_ref(opened.dialog);
    if (!opened.first_delivered && first) {  // no ms-text-format there: send it in the dialog
      auto delivering = deliver_first(opened.dialog, std::move(*first));
      bool delivered = co_await std::move(delivering);
      if (!delivered) {
        result = sip_answer(500);
      }
    }
  }
  auto reporting = switchboard_.on_invite_answer(e.session.sip_user, e.session.peer,
                                                 std::move(result), std::move(dialog));
  co_await std::move(reporting);
}

asio::awaitable<bool> SipEdge::deliver_first(sip::DialogId id, sip::Body first) {
  auto op = agent_->send_in_session(std::move(id), std::move(first));
  sip::MessageResult r = co_await std::move(op);
  co_return r.outcome == sip::MessageOutcome::delivered;
}

asio::awaitable<void> SipEdge::in_dialog(presence::SendInDialog e) {
  metrics_.effect("message_in_dialog");
  presence::SipAnswer result = sip_answer(481);
  if (e.session.sip_dialog == kPageModeSession) {
    auto paging = send_page_mode(e.message);
    result = co_await std::move(paging);
  } else if (auto id = decode_dialog_ref(e.session.sip_dialog)) {
    auto body = body_for(e.message.content, DeliveryMode::sip_session);
    if (!body) {
      co_return;  // a chat state with no SIP form
    }
    auto op = agent_->send_in_session(std::move(*id), std::move(*body));
    sip::MessageResult r = co_await std::move(op);
    result = in_session_answer(r);
  }
  if (e.message.outbox_id != 0) {
    switchboard_.on_message_answer(e.message.outbox_id, std::move(result));
  }
}

asio::awaitable<void> SipEdge::page(presence::SendPage e) {
  metrics_.effect("page");
  auto paging = send_page_mode(e.message);
  presence::SipAnswer result = co_await std::move(paging);
  if (e.message.outbox_id != 0) {
    switchboard_.on_message_answer(e.message.outbox_id, std::move(result));
  }
}

asio::awaitable<presence::SipAnswer> SipEdge::send_page_mode(presence::OutboundMessage m) {
  auto body = body_for(m.content, DeliveryMode::sip_page);
  if (!body) {
    co_return sip_answer(200);  // nothing to carry
  }
  auto op = agent_->send_page_message(m.from, m.to, std::move(*body));
  sip::Response response = co_await std::move(op);
  co_return sip_answer(response);
}

asio::awaitable<void> SipEdge::bye(presence::SendBye e) {
  auto id = decode_dialog_ref(e.session.sip_dialog);
  if (!id) {
    co_return;  // page mode, or no dialog
  }
  metrics_.effect("bye");
  book_.remove_session(*id);
  auto op = agent_->bye(std::move(*id));
  co_await std::move(op);
}

// The sender's transaction was answered when the message was accepted: the failure reaches it
// as a page-mode notice from the recipient's address (no user content in it).
asio::awaitable<void> SipEdge::bounce_notice(presence::BounceNotice n) {
  metrics_.effect("bounce");
  log_.info("sip.edge.bounce", {{"msg", n.in_id},
                                {"peer", n.to.domain()},
                                {"condition", presence::to_string(n.error.condition)}});
  sip::Body body;
  body.type = sip::MediaType::parse("text/plain;charset=UTF-8").value();
  body.bytes = bounce_text(n.from, n.error);
  auto op = agent_->send_page_message(n.from, n.to, std::move(body));
  sip::Response response = co_await std::move(op);
  if (!success(response.status)) {
    metrics_.dropped("bounce_undelivered");
  }
}

// --- AgentEvents: messages from SIP.

asio::awaitable<sip::Answer> SipEdge::on_page_message(sip::PageMessageEvent e) {
  metrics_.event("message");
  auto in = sip::message_from_request(e.request);
  if (!in) {
    auto refusal = sip::refusal_for(e.request, static_cast<sip::ConvertErrc>(in.error().value()));
    metrics_.refused("bad_message");
    co_return answer(refusal.status, refusal.reason);
  }
  if (auto refused = screen_sender(in->from)) {
    co_return *refused;
  }
  auto op = decide_message(std::move(*in));
  co_return co_await std::move(op);
}

// The answer follows the switchboard (answer_for).
asio::awaitable<sip::Answer> SipEdge::decide_message(presence::InboundMessage in) {
  auto outcome = std::make_shared<Outcome>();
  auto op = switchboard_.on_message(std::move(in), reply_into(outcome));
  co_await std::move(op);
  co_return answer_for(*outcome, metrics_);
}

asio::awaitable<sip::Answer> SipEdge::on_invite(sip::InviteEvent e) {
  auto op = asio::co_spawn(strand_, decide_invite(std::move(e)), asio::use_awaitable);
  co_return co_await std::move(op);
}

asio::awaitable<sip::Answer> SipEdge::decide_invite(sip::InviteEvent e) {
  metrics_.event("invite");
  if (auto refused = screen_sender(e.parties.from)) {
    co_return *refused;
  }
  sip::Answer a = answer(200, "OK");
  if (e.first_message) {
    auto in =
        sip::message_from_body(e.parties.from, e.parties.to, *e.first_message, e.request.call_id);
    if (!in) {
      metrics_.refused("bad_message");
      co_return answer(415, "Unsupported Media Type");
    }
    auto deciding = decide_message(std::move(*in));
    a = co_await std::move(deciding);
  }
  if (success(a.status)) {  // the partner's dialog: replies to it go there (RFC 7572 §4)
    book_.add_session(e.dialog, parties(e.parties.from, e.parties.to, false));
    auto opened =
        switchboard_.on_remote_invite(e.parties.from.without_resource(),
                                      e.parties.to.without_resource(), encode_dialog_ref(e.dialog));
    co_await std::move(opened);
  }
  co_return a;
}

void SipEdge::on_session_message(sip::SessionMessageEvent e) {
  spawn("sip_edge.session_message", take_session_message(std::move(e)));
}

asio::awaitable<void> SipEdge::take_session_message(sip::SessionMessageEvent e) {
  auto op = handle_session_message(std::move(e));
  co_await std::move(op);
}

asio::awaitable<sip::Answer> SipEdge::decide_session_message(sip::SessionMessageEvent e) {
  auto op = asio::co_spawn(strand_, handle_session_message(std::move(e)), asio::use_awaitable);
  co_return co_await std::move(op);
}

// The agent answers the MESSAGE with what this gives: 200 only once the switchboard has
// accepted the message into its outbox (a crash after the 200 loses nothing), else the
// refusal. A typing notification is answered 200 whatever becomes of it.
asio::awaitable<sip::Answer> SipEdge::handle_session_message(sip::SessionMessageEvent e) {
  auto in = session_input(e);
  if (!in) {
    co_return answer(415, "Unsupported Media Type");
  }
  const bool typing_only = in->content.body.empty() && in->content.formatted_body.empty();
  auto peer = std::string(in->from.domain());
  auto op = decide_message(std::move(*in));
  sip::Answer a = co_await std::move(op);
  co_return session_answer(std::move(a), typing_only, peer, log_);
}

// The same without a coroutine (any thread): onto the edge strand, then the switchboard's
// outcome is answered from its strand (no edge state is touched there).
bool SipEdge::decide_session_message_now(sip::SessionMessageEvent& e,
                                         std::function<void(sip::Answer)>& done) {
  asio::post(strand_, [this, e = std::move(e), done = std::move(done)]() mutable {
    auto in = session_input(e);
    if (!in) {
      done(answer(415, "Unsupported Media Type"));
      return;
    }
    const bool typing_only = in->content.body.empty() && in->content.formatted_body.empty();
    auto outcome = std::make_shared<Outcome>();
    auto decided = [this, outcome, typing_only, peer = std::string(in->from.domain()),
                    done = std::move(done)] {
      done(session_answer(answer_for(*outcome, metrics_), typing_only, peer, log_));
    };
    switchboard_.on_message_now(std::move(*in), reply_into(outcome), std::move(decided));
  });
  return true;
}

// Edge strand: the message the session's MESSAGE carries (415 counted when unreadable), and
// the session's activity reported to the switchboard.
std::optional<presence::InboundMessage> SipEdge::session_input(const sip::SessionMessageEvent& e) {
  metrics_.event("session_message");
  presence::Address from = e.parties.from;
  presence::Address to = e.parties.to;
  if (auto* s = book_.find_session(e.dialog);
      s && s->outgoing) {  // our INVITE: they are the SIP user
    from = s->sip_user;
    to = s->peer;
  }
  auto in =
      sip::message_from_body(from, to, e.body, fmt::format("{};{}", e.dialog.call_id, e.cseq));
  if (!in) {
    metrics_.refused("bad_message");
    return std::nullopt;
  }
  note_session_activity(e.dialog, from, to);
  return std::move(*in);
}

// Keeps the session from the idle close (10 minutes), at most once per kActivityInterval per
// session; not awaited: the answer need not wait a strand hop.
void SipEdge::note_session_activity(const sip::DialogId& dialog, const presence::Address& from,
                                    const presence::Address& to) {
  const TimePoint now = Clock::now();
  auto* session = book_.find_session(dialog);
  if (session && session->activity_reported &&
      now - *session->activity_reported < kActivityInterval) {
    return;
  }
  if (session) {
    session->activity_reported = now;
  }
  spawn("sip_edge.activity",
        switchboard_.on_remote_activity(from.without_resource(), to.without_resource()));
}

void SipEdge::on_session_ended(sip::SessionEndedEvent e) {
  spawn("sip_edge.session_ended", handle_session_ended(std::move(e)));
}

// A dialog found dead by our own MESSAGE (408/480/481) is not a BYE for the switchboard: the
// message's answer reaches it and opens a new dialog carrying that message (RFC 7572 §7), once.
asio::awaitable<void> SipEdge::handle_session_ended(sip::SessionEndedEvent e) {
  auto s = book_.remove_session(e.dialog);
  if (!s || e.reason == sip::ImEndReason::dialog_dead) {
    co_return;
  }
  metrics_.event("bye");
  auto op = switchboard_.on_bye(s->sip_user, s->peer);
  co_await std::move(op);
}

}  // namespace fedgate::gateway
