// The effects a ChatSessionMachine asks its owner to carry out, as plain values (sans-I/O).
// Owned by presence_router; carried out by gateway/app's Switchboard through the SIP side.
// RFC 7572 §4-§7 (IM), RFC 3428 (page mode), Lync session mode (INVITE, then MESSAGE).
#pragma once

#include <cstdint>
#include <optional>
#include <variant>
#include <vector>

#include "presence/model/chat_session.hpp"
#include "presence/model/error_condition.hpp"
#include "presence/model/message.hpp"

namespace fedgate::presence {

// Open the dialog with an INVITE that carries `first` (Lync puts the first message in the
// INVITE); the answer comes back through on_invite_answer().
struct SendInvite {
  ChatSession session;
  OutboundMessage first;
  friend bool operator==(const SendInvite&, const SendInvite&) = default;
};
// MESSAGE inside session.sip_dialog.
struct SendInDialog {
  ChatSession session;
  OutboundMessage message;
  friend bool operator==(const SendInDialog&, const SendInDialog&) = default;
};
// RFC 3428 page-mode MESSAGE (standard SIP peers): no dialog.
struct SendPage {
  OutboundMessage message;
  friend bool operator==(const SendPage&, const SendPage&) = default;
};
struct SendBye {
  ChatSession session;
  friend bool operator==(const SendBye&, const SendBye&) = default;
};
// Outbox::mark_delivered, then acknowledge the sender.
struct MarkDelivered {
  std::int64_t outbox_id = 0;
  friend bool operator==(const MarkDelivered&, const MarkDelivered&) = default;
};
// Outbox::mark_bounced, then send `error` back to the sender (RFC 7247 §7 mapped).
struct Bounce {
  OutboundMessage message;
  StanzaError error;
  friend bool operator==(const Bounce&, const Bounce&) = default;
};

using ChatEffect = std::variant<SendInvite, SendInDialog, SendPage, SendBye, MarkDelivered, Bounce>;

struct ChatEffects {
  std::vector<ChatEffect> effects;
  std::optional<TimePoint> wake_at;  // call on_wake() no later than this (idle close)
};

}  // namespace fedgate::presence
