// SIP MESSAGE / INFO / INVITE → neutral InboundMessage (RFC 7572 §5, RFC 3994, RFC 7573 §6).
#include <utility>

#include "sip/bridge/convert_address.hpp"
#include "sip/bridge/convert_errc.hpp"
#include "sip/bridge/convert_message.hpp"
#include "sip/bridge/convert_text.hpp"
#include "sip/codec/is_composing.hpp"

namespace fedgate::sip {
namespace {

using presence::ChatState;

result<presence::MessageContent> text_content(const MediaType& type, std::string_view bytes) {
  auto text = to_utf8(bytes, type.param("charset").value_or(""));
  if (!text) {
    return make_error_code(is_valid_utf8(bytes) ? ConvertErrc::unsupported_charset
                                                : ConvertErrc::bad_body);
  }
  presence::MessageContent c;
  if (type.is("text/html")) {
    c.body = html_to_text(*text);
    c.formatted_body = std::move(*text);
    c.formatted_type = "text/html";
  } else {
    c.body = std::move(*text);
  }
  return c;
}

result<presence::MessageContent> typing_content(ChatState state) {
  presence::MessageContent c;
  c.chat_state = state;
  return c;
}

}  // namespace

result<presence::MessageContent> content_from_body(const std::optional<MediaType>& type,
                                                   std::string_view bytes) {
  if (!type || bytes.empty()) {
    return make_error_code(ConvertErrc::missing_body);
  }
  if (type->is("text/plain") || type->is("text/html")) {
    return text_content(*type, bytes);
  }
  if (type->is(kIsComposingType)) {  // RFC 7573 §6 Table 3
    auto doc = parse_is_composing(bytes);
    if (!doc) {
      return make_error_code(ConvertErrc::bad_body);
    }
    return typing_content(doc->active ? ChatState::composing : ChatState::active);
  }
  if (type->is(kKeyboardActivityType) || type->is("text/xml")) {
    auto typing = parse_keyboard_activity(bytes);
    if (!typing) {
      return make_error_code(ConvertErrc::unsupported_media_type);
    }
    return typing_content(*typing ? ChatState::composing : ChatState::active);
  }
  return make_error_code(ConvertErrc::unsupported_media_type);
}

result<presence::MessageContent> content_from_body(const Body& body) {
  return content_from_body(body.type, body.bytes);
}

result<presence::MessageContent> content_from_ms_text_format(const MsTextFormat& first) {
  if (first.body.empty()) {
    return make_error_code(ConvertErrc::missing_body);
  }
  auto type = MediaType::parse(first.content_type);
  if (!type) {
    return make_error_code(ConvertErrc::bad_body);
  }
  set_param(type->params, "charset", first.charset);
  return content_from_body(*type, first.body);
}

namespace {

result<presence::MessageContent> request_content(const Request& request) {
  if (request.method != Method::invite) {
    return content_from_body(request.content_type, request.body);
  }
  const Header* header = find_header(request.other, "ms-text-format");
  if (header == nullptr) {
    return make_error_code(ConvertErrc::missing_body);
  }
  auto first = parse_ms_text_format(header->value);
  if (!first) {
    return make_error_code(ConvertErrc::bad_body);
  }
  return content_from_ms_text_format(*first);
}

}  // namespace

result<presence::InboundMessage> message_from_body(const presence::Address& from,
                                                   const presence::Address& to, const Body& body,
                                                   std::string id) {
  auto content = content_from_body(body);
  if (!content) {
    return content.error();
  }
  return presence::InboundMessage{std::move(id), from, to, std::move(*content)};
}

result<presence::InboundMessage> message_from_request(const Request& request) {
  auto from = party_from(request.from);
  if (!from) {
    return from.error();
  }
  auto to = address_from_uri(request.to.uri);
  if (!to) {
    return to.error();
  }
  auto content = request_content(request);
  if (!content) {
    return content.error();
  }
  if (const Header* subject = find_header(request.other, "Subject")) {
    content->subject = subject->value;
  }
  if (const Header* language = find_header(request.other, "Content-Language")) {
    content->language = language->value;
  }
  presence::InboundMessage m;
  m.id = request.call_id + ";" + std::to_string(request.cseq.sequence);
  m.from = std::move(from->address);
  m.to = std::move(*to);
  m.content = std::move(*content);
  return m;
}

}  // namespace fedgate::sip
