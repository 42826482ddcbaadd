// ChatSession: the neutral record of one bridged session-mode conversation: one SIP dialog
// per pair of users (RFC 7572 §7, Lync session-mode IM). Owned by presence_model; plain
// value. The state machine that drives it is presence/chat_session_machine.
#pragma once

#include <cstdint>
#include <string>

#include "presence/model/address.hpp"
#include "presence/model/time.hpp"

namespace fedgate::presence {

enum class ChatSessionState {
  idle,         // no SIP dialog
  inviting,     // INVITE sent (carrying the first message), waiting for the final answer
  established,  // dialog up: MESSAGEs go inside it
  closing,      // BYE sent
};

std::string_view to_string(ChatSessionState s) noexcept;

struct ChatSession {
  Address sip_user;  // the user on the SIP side, where the dialog lives (bare)
  Address peer;      // the other user of the pair, on the XMPP side (bare)
  ChatSessionState state = ChatSessionState::idle;
  std::string sip_dialog;  // opaque dialog data from sip/dialog, empty while idle
  TimePoint last_activity{};
  std::uint32_t reestablish_attempts = 0;
  friend bool operator==(const ChatSession&, const ChatSession&) = default;
};

}  // namespace fedgate::presence
