// Instant messages in neutral form: InboundMessage as a connection manager hands it to the
// router, OutboundMessage as the router hands it to the switchboard (and the Outbox stores it).
// Owned by presence_model; plain values. RFC 7572 §4/§5 tables; chat states XEP-0085/RFC 3994.
#pragma once

#include <cstdint>
#include <string>

#include "presence/model/address.hpp"

namespace fedgate::presence {

// XEP-0085 chat states; SIP isComposing (RFC 3994) carries active/composing/idle.
enum class ChatState { none, active, composing, paused, inactive, gone };

std::string_view to_string(ChatState s) noexcept;

// How the far side wants the message carried (decided by the router from policy).
enum class DeliveryMode {
  xmpp_stanza,  // <message type='chat'/> on s2s
  sip_session,  // Lync/S4B: INVITE dialog, MESSAGE inside it (one dialog per user pair)
  sip_page,     // standard SIP peer: RFC 3428 page-mode MESSAGE
};

struct MessageContent {
  std::string body;            // plain text (XMPP <body/>, SIP text/plain)
  std::string formatted_body;  // rich form, empty when none
  std::string formatted_type;  // "text/html" (SIP) or "xhtml-im" (XEP-0071); empty when none
  std::string subject;         // XMPP <subject/>; SIP Subject header
  std::string language;        // xml:lang / Content-Language
  ChatState chat_state = ChatState::none;
  std::string thread;  // XMPP <thread/>; SIP has none
  friend bool operator==(const MessageContent&, const MessageContent&) = default;
};

struct InboundMessage {
  std::string id;  // stanza id, or SIP Call-ID + CSeq: used in answers and logs only
  Address from;
  Address to;
  MessageContent content;
  friend bool operator==(const InboundMessage&, const InboundMessage&) = default;
};

struct OutboundMessage {
  std::int64_t outbox_id = 0;  // assigned by Outbox::accept, 0 before
  std::string in_id;           // InboundMessage::id it came from (for bounces)
  Address from;                // as the recipient's side knows the sender
  Address to;                  // as the recipient's side addresses the recipient
  DeliveryMode mode = DeliveryMode::xmpp_stanza;
  MessageContent content;
  friend bool operator==(const OutboundMessage&, const OutboundMessage&) = default;
};

}  // namespace fedgate::presence
