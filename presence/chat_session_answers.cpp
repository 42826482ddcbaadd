// ChatSessionMachine: answers from the SIP side, the partner's own dialog events, idle close.
#include <algorithm>

#include "presence/chat_session_machine.hpp"
#include "presence/error_mapping.hpp"

namespace fedgate::presence {
namespace {

bool success(int status) { return status >= 200 && status < 300; }

// RFC 7572 §7 / RFC 5057 §5.1: the dialog is gone or unreachable; a new one may work.
bool dead_dialog(int status) { return status == 408 || status == 480 || status == 481; }

StanzaError error_of(const SipAnswer& a) {
  return stanza_error_from_sip(a.status, a.reason_phrase, a.warning, a.ms_diagnostics);
}

}  // namespace

ChatEffects ChatSessionMachine::on_invite_answer(const Address& sip_user, const Address& peer,
                                                 const SipAnswer& a, std::string sip_dialog,
                                                 TimePoint now) {
  ChatEffects out;
  Entry* e = lookup(sip_user, peer);
  if (e == nullptr || e->session.state != ChatSessionState::inviting) {
    return out;
  }
  if (!success(a.status)) {  // the first message and every queued one bounce
    bounce_all(*e, error_of(a), out);
    sessions_.erase(key(sip_user, peer));
    return out;
  }
  establish(*e, std::move(sip_dialog), out);
  touch(*e, now, out);
  return out;
}

// The INVITE succeeded: its message is delivered, the queued ones go into the dialog.
void ChatSessionMachine::establish(Entry& e, std::string sip_dialog, ChatEffects& out) {
  e.session.state = ChatSessionState::established;
  e.session.sip_dialog = std::move(sip_dialog);
  e.session.reestablish_attempts = 0;
  in_flight_.erase(e.invite_message);
  out.effects.push_back(MarkDelivered{e.invite_message});
  e.invite_message = 0;
  auto queued = std::move(e.queued);
  e.queued.clear();
  for (auto& m : queued) {
    send_in_dialog(e, std::move(m), out);
  }
}

bool ChatSessionMachine::may_reestablish(const ChatSession& s, const InFlight& f,
                                         int status) const {
  return dead_dialog(status) && f.attempts < config_.max_reestablish &&
         s.state == ChatSessionState::established;
}

ChatEffects ChatSessionMachine::on_message_answer(std::int64_t outbox_id, const SipAnswer& a,
                                                  TimePoint now) {
  ChatEffects out;
  auto it = in_flight_.find(outbox_id);
  if (it == in_flight_.end()) {
    return out;
  }
  InFlight flight = std::move(it->second);
  in_flight_.erase(it);
  Entry* e = flight.message.mode == DeliveryMode::sip_session
                 ? lookup(flight.message.to, flight.message.from)
                 : nullptr;
  if (success(a.status)) {
    out.effects.push_back(MarkDelivered{outbox_id});
  } else if (e != nullptr && may_reestablish(e->session, flight, a.status)) {
    ++e->session.reestablish_attempts;  // a new dialog, carrying the failed message
    invite(*e, std::move(flight.message), flight.attempts + 1, out);
  } else {
    out.effects.push_back(Bounce{std::move(flight.message), error_of(a)});
  }
  if (e != nullptr) {
    touch(*e, now, out);
  }
  return out;
}

ChatEffects ChatSessionMachine::on_remote_invite(const Address& sip_user, const Address& peer,
                                                 std::string sip_dialog, TimePoint now) {
  ChatEffects out;
  auto [it, added] = sessions_.try_emplace(key(sip_user, peer));
  Entry& e = it->second;
  if (added) {
    e.session.sip_user = sip_user.without_resource();
    e.session.peer = peer.without_resource();
  }
  if (e.session.state == ChatSessionState::inviting) {
    return out;  // glare: our INVITE is outstanding; the SIP side answers 491 (RFC 3261 §14.2)
  }
  e.session.state = ChatSessionState::established;
  e.session.sip_dialog = std::move(sip_dialog);
  touch(e, now, out);
  return out;
}

ChatEffects ChatSessionMachine::on_remote_activity(const Address& sip_user, const Address& peer,
                                                   TimePoint now) {
  ChatEffects out;
  if (Entry* e = lookup(sip_user, peer)) {
    touch(*e, now, out);
  }
  return out;
}

ChatEffects ChatSessionMachine::on_bye(const Address& sip_user, const Address& peer,
                                       TimePoint now) {
  ChatEffects out;
  Entry* e = lookup(sip_user, peer);
  if (e == nullptr) {
    return out;
  }
  if (e->session.state == ChatSessionState::inviting) {
    (void)now;
    return out;  // a BYE for an older dialog; the new INVITE decides
  }
  sessions_.erase(key(sip_user, peer));  // next message opens a new dialog
  return out;
}

// Idle close: established sessions untouched for idle_timeout with nothing in flight.
ChatEffects ChatSessionMachine::on_wake(TimePoint now) {
  ChatEffects out;
  std::vector<std::string> idle;
  for (const auto& [k, e] : sessions_) {
    TimePoint deadline = e.session.last_activity + config_.idle_timeout;
    if (e.session.state == ChatSessionState::established && deadline <= now) {
      idle.push_back(k);
    } else if (!out.wake_at || deadline < *out.wake_at) {
      out.wake_at = std::max(deadline, now);
    }
  }
  for (const auto& k : idle) {
    close(k, out);
  }
  return out;
}

}  // namespace fedgate::presence
