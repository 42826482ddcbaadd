// Session-mode IM in the Lync dialect: byte-exact INVITE/ACK/MESSAGE/BYE transcripts, the
// first message in ms-text-format, dead dialogs (408/480/481) and the 10-minute idle BYE.
#include "sip/dialog/im_session.hpp"

#include <gtest/gtest.h>

#include "sip/codec/error_response.hpp"
#include "sip/codec/serializer.hpp"
#include "transcript.hpp"

namespace fedgate::sip {
namespace {

using test::branches;
using test::transcript;

ImInviteParams alice_to_bob() {
  ImInviteParams p;
  p.target = Uri::parse("sip:bob@partner.example").value();
  p.from = NameAddr::parse("<sip:alice@corp.example>;tag=8f1c2a;epid=01010101").value();
  p.to = NameAddr::parse("<sip:bob@partner.example>").value();
  p.call_id = "4a7e6c1d@fedgate.corp.example";
  p.conversation_id = "AdXc7mzBQ3Vw4P2aR1yX";
  p.local = test::gateway();
  p.sdp = ImSdp{"fedgate.corp.example",
                "fedgate.corp.example",
                5061,
                {"text/plain", "text/html", "multipart/alternative"}};
  p.first_message = MsTextFormat{"text/plain", "UTF-8", "", "Hello Bob"};
  p.supported = {"ms-text-format"};
  return p;
}

Body plain(std::string text) {
  return Body{MediaType::parse("text/plain;charset=UTF-8").value(), std::move(text)};
}

// An outgoing session past INVITE/200/ACK, at time zero of `clock`.
ImSession established(BranchGenerator& gen, const test::FakeClock& clock) {
  auto s = ImSession::outgoing(alice_to_bob());
  s.invite(gen);
  s.on_invite_response(test::response("im_out_invite_200.sip", branches(1)), gen, clock.now());
  return s;
}

TEST(ImSession, InviteCarriesTheFirstMessageAndConversationId) {
  BranchGenerator gen{test::kSeed};
  auto s = ImSession::outgoing(alice_to_bob());
  EXPECT_EQ(serialize(s.invite(gen)), transcript("im_out_invite.sip", branches(1)));
  EXPECT_EQ(s.state(), ImState::inviting);
}

TEST(ImSession, TwoHundredWithMsTextFormatMeansDeliveredAndIsAcked) {
  BranchGenerator gen{test::kSeed};
  test::FakeClock clock;
  auto s = ImSession::outgoing(alice_to_bob());
  s.invite(gen);
  auto a =
      s.on_invite_response(test::response("im_out_invite_200.sip", branches(1)), gen, clock.now());
  EXPECT_TRUE(a.first_delivered);
  ASSERT_TRUE(a.send);
  EXPECT_EQ(serialize(*a.send), transcript("im_out_ack.sip", branches(2)));
  EXPECT_EQ(a.wake_at, clock.now() + kImIdleTimeout);
  EXPECT_EQ(s.state(), ImState::established);
}

TEST(ImSession, TwoHundredWithoutMsTextFormatMeansResend) {
  BranchGenerator gen{test::kSeed};
  auto s = ImSession::outgoing(alice_to_bob());
  s.invite(gen);
  auto ok = test::response("im_out_invite_200.sip", branches(1));
  ok.supported.clear();
  auto a = s.on_invite_response(ok, gen, TimePoint{});
  EXPECT_FALSE(a.first_delivered);
  EXPECT_TRUE(a.send);
  EXPECT_EQ(s.state(), ImState::established);
}

TEST(ImSession, RefusedInviteEndsTheSession) {
  BranchGenerator gen{test::kSeed};
  auto s = ImSession::outgoing(alice_to_bob());
  auto invite = s.invite(gen);
  auto a = s.on_invite_response(make_error_response(invite, 403, "Forbidden", "x1"), gen, {});
  EXPECT_EQ(a.ended, ImEndReason::refused);
  EXPECT_FALSE(a.send);
  EXPECT_EQ(s.state(), ImState::terminated);
}

TEST(ImSession, InDialogMessageIsExactAndDelivered) {
  BranchGenerator gen{test::kSeed};
  test::FakeClock clock;
  auto s = established(gen, clock);
  auto msg = s.send_message(plain("How are you?\r\n"), gen, clock.now());
  EXPECT_EQ(serialize(msg), transcript("im_out_message.sip", branches(3)));
  auto a = s.on_message_response(make_error_response(msg, 200, "OK"), clock.now());
  EXPECT_EQ(a.message, (MessageResult{2, MessageOutcome::delivered, 200}));
  EXPECT_FALSE(a.ended);
}

TEST(ImSession, FourEightyOneToMessageMeansTheDialogIsDead) {
  for (int status : {408, 480, 481}) {
    BranchGenerator gen{test::kSeed};
    test::FakeClock clock;
    auto s = established(gen, clock);
    auto msg = s.send_message(plain("hi"), gen, clock.now());
    auto a = s.on_message_response(make_error_response(msg, status, "Dead"), clock.now());
    EXPECT_EQ(a.message, (MessageResult{2, MessageOutcome::dialog_dead, status}));
    EXPECT_EQ(a.ended, ImEndReason::dialog_dead);
    EXPECT_EQ(s.state(), ImState::terminated);
  }
}

TEST(ImSession, OtherErrorsFailOneMessageOnly) {
  BranchGenerator gen{test::kSeed};
  test::FakeClock clock;
  auto s = established(gen, clock);
  auto msg = s.send_message(plain("hi"), gen, clock.now());
  auto a = s.on_message_response(make_error_response(msg, 415, "Unsupported"), clock.now());
  EXPECT_EQ(a.message, (MessageResult{2, MessageOutcome::failed, 415}));
  EXPECT_FALSE(a.ended);
  EXPECT_EQ(s.state(), ImState::established);
}

TEST(ImSession, TenIdleMinutesSendBye) {
  BranchGenerator gen{test::kSeed};
  test::FakeClock clock;
  auto s = established(gen, clock);
  clock.advance(kImIdleTimeout - seconds(1));
  auto early = s.on_wake(clock.now(), gen);
  EXPECT_FALSE(early.send);
  EXPECT_EQ(early.wake_at, TimePoint{} + kImIdleTimeout);
  clock.advance(seconds(1));
  auto a = s.on_wake(clock.now(), gen);
  ASSERT_TRUE(a.send);
  EXPECT_EQ(serialize(*a.send), transcript("im_out_bye.sip", branches(3)));
  EXPECT_EQ(a.ended, ImEndReason::idle_timeout);
}

TEST(ImSession, SendingAMessageRestartsTheIdleTimer) {
  BranchGenerator gen{test::kSeed};
  test::FakeClock clock;
  auto s = established(gen, clock);
  clock.advance(std::chrono::minutes(9));
  s.send_message(plain("still here"), gen, clock.now());
  clock.advance(std::chrono::minutes(2));
  auto a = s.on_wake(clock.now(), gen);
  EXPECT_FALSE(a.send);
  EXPECT_EQ(a.wake_at, TimePoint{} + std::chrono::minutes(19));
}

TEST(ImSession, IncomingInviteDeliversFirstMessageAndAnswersMsTextFormat) {
  ImActions a;
  ImSdp answer{"fedgate.corp.example",
               "fedgate.corp.example",
               5061,
               {"text/plain", "text/html", "multipart/alternative"}};
  auto s = ImSession::incoming(test::request("im_in_invite.sip"), "fg1", test::gateway(), answer,
                               TimePoint{}, a);
  ASSERT_TRUE(s);
  ASSERT_TRUE(a.respond);
  EXPECT_EQ(serialize(*a.respond), transcript("im_in_invite_200.sip"));
  ASSERT_TRUE(a.received);
  EXPECT_EQ(a.received->bytes, "Hi Alice");
  EXPECT_EQ(a.received->type.str(), "text/plain;charset=UTF-8");
  EXPECT_EQ(s->conversation_id(), "AdXc7mzBQ3Vw4P2aR1yX");
}

TEST(ImSession, IncomingInviteWithoutFirstMessageOmitsMsTextFormat) {
  auto invite = test::request("im_in_invite.sip");
  std::erase_if(invite.other, [](const Header& h) { return h.name == "ms-text-format"; });
  ImActions a;
  ASSERT_TRUE(ImSession::incoming(invite, "fg1", test::gateway(), ImSdp{}, TimePoint{}, a));
  EXPECT_FALSE(a.received);
  ASSERT_TRUE(a.respond);
  EXPECT_EQ(a.respond->status, 200);
  EXPECT_TRUE(a.respond->supported.empty());
}

TEST(ImSession, RetransmittedTwoHundredIsAckedAgain) {
  BranchGenerator gen{test::kSeed};
  auto s = ImSession::outgoing(alice_to_bob());
  s.invite(gen);
  auto ok = test::response("im_out_invite_200.sip", branches(1));
  auto first = s.on_invite_response(ok, gen, TimePoint{});
  auto again = s.on_invite_response(ok, gen, TimePoint{} + seconds(1));
  ASSERT_TRUE(again.send);
  EXPECT_EQ(again.send->method, Method::ack);
  EXPECT_EQ(again.send->cseq, first.send->cseq);
  EXPECT_FALSE(again.first_delivered);  // reported once
}

TEST(ImSession, IncomingInviteWithoutMessageMediaIs488) {
  auto invite = test::request("im_in_invite.sip");
  invite.body = "v=0\r\nm=audio 5004 RTP/AVP 0\r\n";
  ImActions a;
  auto s = ImSession::incoming(invite, "fg1", test::gateway(), ImSdp{}, TimePoint{}, a);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error(), DialogErrc::not_acceptable);
  EXPECT_EQ(status_for(DialogErrc::not_acceptable), 488);
}

ImSession incoming_established() {
  ImActions a;
  auto s = ImSession::incoming(test::request("im_in_invite.sip"), "fg1", test::gateway(), ImSdp{},
                               TimePoint{}, a)
               .value();
  auto ack = test::request("im_in_message.sip");
  ack.method = Method::ack;
  ack.cseq = CSeq{1, Method::ack, {}};
  ack.body.clear();
  ack.content_type.reset();
  s.on_request(ack, TimePoint{});
  return s;
}

TEST(ImSession, IncomingMessageIsAnsweredAndDelivered) {
  auto s = incoming_established();
  EXPECT_EQ(s.state(), ImState::established);
  auto a = s.on_request(test::request("im_in_message.sip"), TimePoint{} + seconds(5));
  ASSERT_TRUE(a.respond);
  EXPECT_EQ(serialize(*a.respond), transcript("im_in_message_200.sip"));
  ASSERT_TRUE(a.received);
  EXPECT_EQ(a.received->bytes, "<b>still there?</b>\r\n");
  EXPECT_TRUE(a.received->type.is("text/html"));
  EXPECT_EQ(a.wake_at, TimePoint{} + seconds(5) + kImIdleTimeout);
}

TEST(ImSession, StaleCSeqIs500AndByeEndsTheSession) {
  auto s = incoming_established();
  auto msg = test::request("im_in_message.sip");
  s.on_request(msg, TimePoint{});
  EXPECT_EQ(s.on_request(msg, TimePoint{}).respond->status, 500);
  auto bye = msg;
  bye.method = Method::bye;
  bye.cseq = CSeq{3, Method::bye, {}};
  auto a = s.on_request(bye, TimePoint{});
  EXPECT_EQ(a.respond->status, 200);
  EXPECT_EQ(a.ended, ImEndReason::bye_received);
  msg.cseq.sequence = 4;
  EXPECT_EQ(s.on_request(msg, TimePoint{}).respond->status, 481);
}

}  // namespace
}  // namespace fedgate::sip
