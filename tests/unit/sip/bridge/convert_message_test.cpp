// MESSAGE / INVITE / INFO ↔ neutral messages: RFC 7572 figures, Lync session-mode IM
// transcripts written from MS-SIPRE facts (ms-text-format, KeyboardActivity), RFC 3994 typing.
#include "sip/bridge/convert_message.hpp"

#include <gtest/gtest.h>

#include "corpus.hpp"
#include "sip/bridge/convert_errc.hpp"
#include "sip/codec/base64.hpp"
#include "sip/codec/is_composing.hpp"

namespace fedgate::sip {
namespace {

using presence::ChatState;
using presence::DeliveryMode;

presence::Address addr(std::string_view text) { return presence::Address::parse(text).value(); }

std::string lync_request(std::string_view start, std::string_view extra, std::string_view body) {
  return std::string(start) +
         "\nVia: SIP/2.0/TLS 192.0.2.10:5061;branch=z9hG4bK77aa"
         "\nFrom: <sip:bob@contoso.com>;tag=8f2c;epid=62ccbeb808"
         "\nTo: <sip:alice@corp.example>;tag=a1"
         "\nCall-ID: 4c1f9e8a77\nCSeq: 2 " +
         std::string(start.substr(0, start.find(' '))) +
         "\nContact: <sip:bob@contoso.com;opaque=user:epid:x;gruu>\nMax-Forwards: 70" +
         std::string(extra) + "\n\n" + std::string(body);
}

TEST(MessageFromRequest, Rfc7572PlainTextMessage) {
  auto m = message_from_request(test::rfc_request("rfc7572/5-01-sip2xmpp.txt"));
  ASSERT_TRUE(m) << m.error().message();
  EXPECT_EQ(m->from, addr("romeo@example.net"));
  EXPECT_EQ(m->to, addr("juliet@example.com"));
  EXPECT_EQ(m->content.body, "Neither, fair saint, if either thee dislike.");
  EXPECT_EQ(m->id, "9E97FB43-85F4-4A00-8751-1124FD4C7B2E;1");
}

TEST(MessageFromRequest, Rfc7572ContentLanguageBecomesTheLanguage) {
  auto m = message_from_request(test::rfc_request("rfc7572/8-01-i18n.txt"));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->content.language, "cs");
  EXPECT_TRUE(m->content.body.starts_with("Nic z ob"));
}

TEST(MessageFromRequest, LyncInviteCarriesTheFirstMessageInMsTextFormat) {
  const std::string header = "\nms-text-format: text/plain; charset=UTF-8;msgr=WAAtAE0A;ms-body=" +
                             base64_encode("Grüße aus Redmond");
  auto m = message_from_request(test::request_from(
      lync_request("INVITE sip:alice@corp.example SIP/2.0",
                   header + "\nContent-Type: application/sdp", "v=0\nm=message 5061 sip null\n")));
  ASSERT_TRUE(m) << m.error().message();
  EXPECT_EQ(m->content.body, "Grüße aus Redmond");
  EXPECT_EQ(m->from, addr("bob@contoso.com"));
  EXPECT_EQ(m->id, "4c1f9e8a77;2");
}

TEST(MessageFromRequest, InviteWithoutFirstMessageHasNoBody) {
  auto m = message_from_request(test::request_from(lync_request(
      "INVITE sip:alice@corp.example SIP/2.0", "\nContent-Type: application/sdp", "v=0\n")));
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error(), make_error_code(ConvertErrc::missing_body));
}

TEST(MessageFromRequest, HtmlMessageKeepsFormattedBodyAndPlainText) {
  auto m = message_from_request(test::request_from(lync_request(
      "MESSAGE sip:alice@corp.example SIP/2.0", "\nContent-Type: text/html;charset=UTF-8",
      "<b>Fish &amp; chips</b><br/>at&#32;noon?")));
  ASSERT_TRUE(m) << m.error().message();
  EXPECT_EQ(m->content.body, "Fish & chips\nat noon?");
  EXPECT_EQ(m->content.formatted_type, "text/html");
  EXPECT_EQ(m->content.formatted_body, "<b>Fish &amp; chips</b><br/>at&#32;noon?");
}

TEST(MessageFromRequest, LyncKeyboardActivityInfoIsComposing) {
  auto typing = message_from_request(test::request_from(
      lync_request("INFO sip:alice@corp.example SIP/2.0", "\nContent-Type: application/xml",
                   write_keyboard_activity(true))));
  ASSERT_TRUE(typing) << typing.error().message();
  EXPECT_EQ(typing->content.chat_state, ChatState::composing);
  EXPECT_TRUE(typing->content.body.empty());
  auto idle = content_from_body(MediaType::parse("application/xml").value(),
                                write_keyboard_activity(false));
  EXPECT_EQ(idle->chat_state, ChatState::active);
}

TEST(ContentFromBody, Rfc3994IsComposingMapsByRfc7573Table3) {
  const auto type = MediaType::parse("application/im-iscomposing+xml").value();
  EXPECT_EQ(content_from_body(type, write_is_composing(IsComposing{true, "text/plain", 60, ""}))
                ->chat_state,
            ChatState::composing);
  EXPECT_EQ(content_from_body(type, write_is_composing(IsComposing{false, "", {}, ""}))->chat_state,
            ChatState::active);
}

TEST(ContentFromBody, CharsetsAreConvertedOrRefused) {
  auto latin1 = content_from_body(MediaType::parse("text/plain; charset=ISO-8859-1").value(),
                                  "Gr\xFC\xDF"
                                  "e");
  ASSERT_TRUE(latin1);
  EXPECT_EQ(latin1->body, "Grüße");
  EXPECT_EQ(content_from_body(MediaType::parse("text/plain; charset=koi8-r").value(), "x").error(),
            make_error_code(ConvertErrc::unsupported_charset));
  EXPECT_EQ(content_from_body(MediaType::parse("text/plain").value(), "bad \xC3(").error(),
            make_error_code(ConvertErrc::bad_body));
  EXPECT_EQ(content_from_body(MediaType::parse("image/png").value(), "x").error(),
            make_error_code(ConvertErrc::unsupported_media_type));
}

TEST(MessageFromBody, SessionMessageEventBodyBecomesAnInboundMessage) {
  const Body body{MediaType::parse("text/plain; charset=UTF-8").value(), "Lunch?"};
  auto m = message_from_body(addr("bob@contoso.com"), addr("alice@corp.example"), body, "c;3");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->content.body, "Lunch?");
  EXPECT_EQ(m->from, addr("bob@contoso.com"));
  EXPECT_EQ(m->id, "c;3");
  const Body empty{MediaType::parse("text/plain").value(), ""};
  EXPECT_EQ(message_from_body({}, {}, empty, "x").error(),
            make_error_code(ConvertErrc::missing_body));
}

TEST(MessageBodyFor, SessionModeKeepsHtmlPageModeIsPlainText) {
  presence::MessageContent c;
  c.body = "hi";
  c.formatted_body = "<p>hi</p>";
  c.formatted_type = "text/html";
  Body session = message_body_for(c, DeliveryMode::sip_session);
  EXPECT_EQ(session.type.str(), "text/html;charset=UTF-8");
  EXPECT_EQ(session.bytes, "<p>hi</p>");
  Body page = message_body_for(c, DeliveryMode::sip_page);
  EXPECT_EQ(page.type.str(), "text/plain;charset=UTF-8");
  EXPECT_EQ(page.bytes, "hi");
}

TEST(FirstMessageFor, MsTextFormatHeaderRoundTripsTheBody) {
  presence::MessageContent c;
  c.body = "Art thou not Romeo, and a Montague?";
  const std::string header = write_ms_text_format(first_message_for(c));
  auto back = content_from_ms_text_format(parse_ms_text_format(header).value());
  ASSERT_TRUE(back);
  EXPECT_EQ(back->body, c.body);
}

TEST(TypingFor, LyncGetsKeyboardActivityInfoStandardPeersIsComposing) {
  auto lync = typing_for(ChatState::composing, DeliveryMode::sip_session);
  ASSERT_TRUE(lync);
  EXPECT_EQ(lync->method, Method::info);
  EXPECT_EQ(parse_keyboard_activity(lync->body.bytes).value(), true);
  auto page = typing_for(ChatState::paused, DeliveryMode::sip_page);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->method, Method::message);
  EXPECT_FALSE(parse_is_composing(page->body.bytes)->active);  // RFC 7573 Table 4: idle
  EXPECT_FALSE(typing_for(ChatState::gone, DeliveryMode::sip_session));
}

TEST(AddMessageHeaders, SubjectAndLanguageAreCopied) {
  presence::MessageContent c;
  c.subject = "Balcony";
  c.language = "en";
  Request r;
  add_message_headers(r, c);
  EXPECT_EQ(find_header(r.other, "Subject")->value, "Balcony");
  EXPECT_EQ(find_header(r.other, "Content-Language")->value, "en");
}

}  // namespace
}  // namespace fedgate::sip
