// Neutral message content → SIP MESSAGE bodies, ms-text-format and typing requests
// (RFC 7572 §4, RFC 3994, RFC 7573 §6 Table 4; MS-SIPRE session-mode IM).
#include <utility>

#include "sip/bridge/convert_message.hpp"
#include "sip/codec/is_composing.hpp"

namespace fedgate::sip {
namespace {

using presence::ChatState;
using presence::DeliveryMode;

Body utf8_body(std::string_view type, std::string bytes) {
  MediaType t = MediaType::parse(type).value();
  set_param(t.params, "charset", std::string("UTF-8"));
  return Body{std::move(t), std::move(bytes)};
}

bool has_html(const presence::MessageContent& c) {
  return !c.formatted_body.empty() &&
         (c.formatted_type == "text/html" || c.formatted_type == "xhtml-im");
}

}  // namespace

Body message_body_for(const presence::MessageContent& content, DeliveryMode mode) {
  if (mode == DeliveryMode::sip_session && has_html(content)) {
    return utf8_body("text/html", content.formatted_body);
  }
  return utf8_body("text/plain", content.body);
}

MsTextFormat first_message_for(const presence::MessageContent& content) {
  MsTextFormat f;
  f.content_type = "text/plain";
  f.charset = "UTF-8";
  f.body = content.body;
  return f;
}

void add_message_headers(MessageHeaders& message, const presence::MessageContent& content) {
  if (!content.subject.empty()) {
    message.other.push_back({"Subject", content.subject});
  }
  if (!content.language.empty()) {
    message.other.push_back({"Content-Language", content.language});
  }
}

std::optional<TypingRequest> typing_for(ChatState state, DeliveryMode mode) {
  if (state == ChatState::none || state == ChatState::gone) {
    return std::nullopt;
  }
  const bool typing = state == ChatState::composing;
  if (mode == DeliveryMode::sip_session) {
    return TypingRequest{Method::info, Body{MediaType::parse(kKeyboardActivityType).value(),
                                            write_keyboard_activity(typing)}};
  }
  IsComposing doc;
  doc.active = typing;
  doc.content_type = "text/plain";
  if (typing) {
    doc.refresh = 60;  // RFC 3994 §3.2: an active state should carry a refresh interval
  }
  return TypingRequest{Method::message,
                       Body{MediaType::parse(kIsComposingType).value(), write_is_composing(doc)}};
}

}  // namespace fedgate::sip
