// ChatSessionMachine (rules in chat_session_machine.hpp).
#include "presence/chat_session_machine.hpp"

namespace fedgate::presence {
std::string ChatSessionMachine::key(const Address& sip_user, const Address& peer) {
  std::string k{sip_user.bare()};
  k += '\n';
  k += peer.bare();
  return k;
}

ChatSessionMachine::Entry* ChatSessionMachine::lookup(const Address& sip_user,
                                                      const Address& peer) {
  auto it = sessions_.find(key(sip_user, peer));
  return it == sessions_.end() ? nullptr : &it->second;
}

const ChatSession* ChatSessionMachine::find(const Address& sip_user, const Address& peer) const {
  auto it = sessions_.find(key(sip_user, peer));
  return it == sessions_.end() ? nullptr : &it->second.session;
}

ChatSessionMachine::Entry& ChatSessionMachine::open(const OutboundMessage& m, TimePoint now) {
  auto [it, added] = sessions_.try_emplace(key(m.to, m.from));
  if (added) {
    it->second.session.sip_user = m.to.without_resource();
    it->second.session.peer = m.from.without_resource();
    it->second.session.last_activity = now;
  }
  return it->second;
}

void ChatSessionMachine::touch(Entry& e, TimePoint now, ChatEffects& out) const {
  e.session.last_activity = now;
  out.wake_at = now + config_.idle_timeout;
}

void ChatSessionMachine::invite(Entry& e, OutboundMessage m, std::uint32_t attempts,
                                ChatEffects& out) {
  e.session.state = ChatSessionState::inviting;
  e.session.sip_dialog.clear();
  e.invite_message = m.outbox_id;
  in_flight_[m.outbox_id] = InFlight{m, attempts};
  out.effects.push_back(SendInvite{e.session, std::move(m)});
}

void ChatSessionMachine::send_in_dialog(Entry& e, OutboundMessage m, ChatEffects& out) {
  in_flight_[m.outbox_id] = InFlight{m, 0};
  out.effects.push_back(SendInDialog{e.session, std::move(m)});
}

void ChatSessionMachine::bounce_all(Entry& e, const StanzaError& error, ChatEffects& out) {
  if (auto it = in_flight_.find(e.invite_message); it != in_flight_.end()) {
    out.effects.push_back(Bounce{std::move(it->second.message), error});
    in_flight_.erase(it);
  }
  for (auto& m : e.queued) {
    out.effects.push_back(Bounce{std::move(m), error});
  }
  e.queued.clear();
  e.invite_message = 0;
}

void ChatSessionMachine::close(const std::string& k, ChatEffects& out) {
  auto it = sessions_.find(k);
  if (it == sessions_.end()) {
    return;
  }
  if (it->second.session.state == ChatSessionState::established) {
    out.effects.push_back(SendBye{it->second.session});
  }
  sessions_.erase(it);
}

// Page mode, typing notices and "gone" need no new dialog; true when `m` was handled here.
bool ChatSessionMachine::handled_without_dialog(OutboundMessage& m, Entry* e, ChatEffects& out) {
  if (m.mode != DeliveryMode::sip_session) {  // RFC 3428 page mode: no session state
    in_flight_[m.outbox_id] = InFlight{m, 0};
    out.effects.push_back(SendPage{std::move(m)});
    return true;
  }
  bool established = e != nullptr && e->session.state == ChatSessionState::established;
  bool gone = m.content.chat_state == ChatState::gone;
  if (!m.content.body.empty() || (established && !gone)) {
    return false;  // a message, or a notice that travels inside the open dialog
  }
  out.effects.push_back(MarkDelivered{m.outbox_id});  // a notice never opens a dialog
  if (gone && established) {
    close(key(m.to, m.from), out);  // RFC 7573 §6.1: gone ends the session
  }
  return true;
}

ChatEffects ChatSessionMachine::on_outbound(OutboundMessage m, TimePoint now) {
  ChatEffects out;
  Entry* e = lookup(m.to, m.from);
  if (handled_without_dialog(m, e, out)) {
    return out;
  }
  Entry& entry = e != nullptr ? *e : open(m, now);
  touch(entry, now, out);
  switch (entry.session.state) {
    case ChatSessionState::established:
      send_in_dialog(entry, std::move(m), out);
      break;
    case ChatSessionState::inviting:
      if (entry.queued.size() >= config_.max_queued) {
        out.effects.push_back(Bounce{std::move(m), {ErrorCondition::resource_constraint, ""}});
      } else {
        entry.queued.push_back(std::move(m));
      }
      break;
    case ChatSessionState::idle:
    case ChatSessionState::closing:
      invite(entry, std::move(m), 0, out);
      break;
  }
  return out;
}

}  // namespace fedgate::presence
