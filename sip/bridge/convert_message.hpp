// Instant messages between SIP and the neutral model: MESSAGE bodies (text/plain with charset,
// text/html), the Lync INVITE's first message (ms-text-format), typing (RFC 3994 isComposing,
// Lync INFO KeyboardActivity; RFC 7573 §6 Table 3/4) ↔ InboundMessage / OutboundMessage
// content (RFC 7572 §4, §5). Owned by sip_net (bridge conversions); pure, any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "gateway/base/result.hpp"
#include "presence/model/message.hpp"
#include "sip/codec/message.hpp"
#include "sip/codec/ms_text_format.hpp"
#include "sip/dialog/usage.hpp"

namespace fedgate::sip {

inline constexpr std::string_view kIsComposingType = "application/im-iscomposing+xml";
inline constexpr std::string_view kKeyboardActivityType = "application/xml";  // Lync INFO

// A body as content: text/plain (charset UTF-8, US-ASCII or ISO-8859-1, converted to UTF-8;
// invalid UTF-8 is refused), text/html (formatted_body, and body = its text without tags),
// isComposing ("active" → composing, "idle" → active), KeyboardActivity (typing → composing,
// else active). Errors: missing_body, unsupported_media_type, unsupported_charset, bad_body.
result<presence::MessageContent> content_from_body(const std::optional<MediaType>& type,
                                                   std::string_view bytes);
result<presence::MessageContent> content_from_body(const Body& body);
// The INVITE's first message (MS-SIPRE ms-text-format): the decoded ms-body with its type.
result<presence::MessageContent> content_from_ms_text_format(const MsTextFormat& first);

// MESSAGE or INFO (the body), or INVITE (its ms-text-format header; missing_body without one):
// id = "Call-ID;CSeq", from = From (GRUU kept as resource), to = To, Subject and
// Content-Language copied. Errors as above, and bad_address.
result<presence::InboundMessage> message_from_request(const Request& request);

// The agent's events (PageMessageEvent aside) carry the parties and the body already: an
// in-session MESSAGE / INFO body or an INVITE's first message (SessionMessageEvent,
// InviteEvent). Errors as content_from_body.
result<presence::InboundMessage> message_from_body(const presence::Address& from,
                                                   const presence::Address& to, const Body& body,
                                                   std::string id);

// The MESSAGE body for `content`: text/html when the mode is sip_session and a formatted
// body (text/html or XHTML-IM) is there, else text/plain; charset=UTF-8.
Body message_body_for(const presence::MessageContent& content, presence::DeliveryMode mode);
// ImInviteParams::first_message for a session-mode INVITE (plain text, UTF-8).
MsTextFormat first_message_for(const presence::MessageContent& content);
// Subject and Content-Language headers (RFC 7572 Table 1), when the content has them.
void add_message_headers(MessageHeaders& message, const presence::MessageContent& content);

// A typing notification: INFO with KeyboardActivity to Lync (sip_session), MESSAGE with
// isComposing to standard peers (sip_page). nullopt for none and gone (gone ends the session
// with BYE instead, RFC 7573 §6.1).
struct TypingRequest {
  Method method = Method::message;
  Body body;
  friend bool operator==(const TypingRequest&, const TypingRequest&) = default;
};
std::optional<TypingRequest> typing_for(presence::ChatState state, presence::DeliveryMode mode);

}  // namespace fedgate::sip
