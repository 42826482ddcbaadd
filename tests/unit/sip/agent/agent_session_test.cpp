// SipAgent session-mode IM over loopback mutual TLS (MS-SIPRE): INVITE with the first message
// in ms-text-format, ACK, MESSAGE both ways, BYE, refusal, and a dead dialog after BYE.
#include <gtest/gtest.h>

// GCC 12 (-O1, ASan): Asio coroutine frame new/delete false positive (see sip_net).
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

#include "agent_harness.hpp"
#include "sip/codec/parser.hpp"

namespace fedgate::sip::test {
namespace {

namespace asio = boost::asio;

Body text(std::string s) { return Body{MediaType::parse("text/plain;charset=UTF-8").value(), s}; }

struct AgentSessionTest : ::testing::Test {
  asio::io_context io;
  Pki pki{{"a.example", "b.example"}};
  Node a{io, pki, "a.example"};
  Node b{io, pki, "b.example"};
  presence::Address alice = address("alice@a.example");
  presence::Address bob = address("bob@b.example");
  AgentSessionTest() {
    a.knows(b);
    b.knows(a);
  }
  // The closure passed to go() lives until go() returns, which outlives the work.
  bool go(asio::awaitable<void> work) { return run(io, std::move(work), {&a, &b}); }
};

TEST_F(AgentSessionTest, FirstMessageInTheInviteThenMessagesBothWaysThenBye) {
  SessionOpened opened;
  MessageResult ab, ba, after_bye;
  std::function<bool()> ended = [&] { return !b.events.sessions_ended.empty(); };
  ASSERT_TRUE(go([&]() -> asio::awaitable<void> {
    auto opening = a.agent->open_session(alice, bob, text("hello in the INVITE"));
    opened = co_await std::move(opening);
    auto to_bob = a.agent->send_in_session(opened.dialog, text("second"));
    ab = co_await std::move(to_bob);
    auto to_alice = b.agent->send_in_session(b.events.invites.at(0).dialog, text("reply"));
    ba = co_await std::move(to_alice);
    auto leaving = a.agent->bye(opened.dialog);
    co_await std::move(leaving);
    auto waiting = until(ended);
    co_await std::move(waiting);
    auto late = a.agent->send_in_session(opened.dialog, text("too late"));
    after_bye = co_await std::move(late);
  }()));
  EXPECT_EQ(opened.status, 200);
  EXPECT_TRUE(opened.first_delivered);  // Supported: ms-text-format in the 200
  EXPECT_EQ(b.events.invites.at(0).first_message->bytes, "hello in the INVITE");
  EXPECT_EQ(b.events.invites.at(0).parties.from, alice);
  EXPECT_EQ(ab.outcome, MessageOutcome::delivered);
  EXPECT_EQ(ba.outcome, MessageOutcome::delivered);
  ASSERT_EQ(b.events.in_session.size(), 1u);
  EXPECT_EQ(b.events.in_session[0].body.bytes, "second");
  ASSERT_EQ(a.events.in_session.size(), 1u);
  EXPECT_EQ(a.events.in_session[0].body.bytes, "reply");
  EXPECT_EQ(b.events.sessions_ended.at(0).reason, ImEndReason::bye_received);
  EXPECT_EQ(after_bye.outcome, MessageOutcome::dialog_dead);  // open a new session
}

// send_in_session_now and decide_session_message_now: the same exchange without coroutines;
// the far side's refusal comes back as the MESSAGE's status.
TEST_F(AgentSessionTest, MessagesInTheSessionWithoutCoroutinesAreDeliveredOrRefused) {
  a.events.decide_now = b.events.decide_now = true;
  SessionOpened opened;
  std::vector<MessageResult> results;
  std::function<bool()> two = [&] { return results.size() == 2; };
  ASSERT_TRUE(go([&]() -> asio::awaitable<void> {
    auto opening = a.agent->open_session(alice, bob, text("hello in the INVITE"));
    opened = co_await std::move(opening);
    auto record = [&results](MessageResult r) { results.push_back(r); };
    a.agent->send_in_session_now(opened.dialog, text("second"), record);
    auto first = until([&results] { return results.size() == 1; });
    co_await std::move(first);
    b.events.session_answer.status = 486;
    a.agent->send_in_session_now(opened.dialog, text("third"), record);
    auto waiting = until(two);
    co_await std::move(waiting);
  }()));
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].outcome, MessageOutcome::delivered);
  EXPECT_EQ(results[1].status, 486);
  ASSERT_EQ(b.events.in_session.size(), 2u);
  EXPECT_EQ(b.events.in_session[1].body.bytes, "third");
}

TEST_F(AgentSessionTest, AMessageInAnUnknownSessionWithoutACoroutineIs481) {
  std::optional<MessageResult> result;
  a.agent->send_in_session_now(DialogId{"no-such-call", "x", "y"}, text("lost"),
                               [&result](MessageResult r) { result = r; });
  ASSERT_TRUE(go(until([&result] { return result.has_value(); })));
  EXPECT_EQ(result->status, 481);
}

TEST_F(AgentSessionTest, RefusedInviteReportsTheStatusAndKeepsNoSession) {
  b.events.invite_answer.status = 403;
  b.events.invite_answer.reason = "Forbidden";
  SessionOpened opened;
  ASSERT_TRUE(go([&]() -> asio::awaitable<void> {
    auto opening = a.agent->open_session(alice, bob, text("may I?"));
    opened = co_await std::move(opening);
  }()));
  EXPECT_EQ(opened.status, 403);
  EXPECT_EQ(b.events.invites.size(), 1u);
  ASSERT_EQ(a.events.sessions_ended.size(), 1u);
  EXPECT_EQ(a.events.sessions_ended[0].reason, ImEndReason::refused);
}

// An INVITE from a.example built by hand (so that the test can CANCEL it), and its CANCEL.
Request invite_to_b(std::uint16_t a_port) {
  std::string text =
      "INVITE sip:bob@b.example SIP/2.0\r\n"
      "Via: SIP/2.0/TLS a.example:" +
      std::to_string(a_port) +
      ";branch=z9hG4bKcancelme\r\n"
      "From: <sip:alice@a.example>;tag=c1\r\nTo: <sip:bob@b.example>\r\n"
      "Call-ID: cancel-1@a.example\r\nCSeq: 1 INVITE\r\nMax-Forwards: 70\r\n"
      "Contact: <sip:a.example:" +
      std::to_string(a_port) +
      ";transport=tls>\r\n"
      "Content-Type: application/sdp\r\n\r\n"  // no Content-Length: the rest

      "v=0\r\no=- 0 0 IN IP4 a.example\r\ns=session\r\nc=IN IP4 a.example\r\n"
      "t=0 0\r\nm=message 5061 sip null\r\na=accept-types:text/plain\r\n";
  return parse_request(text).value();
}

TEST_F(AgentSessionTest, CancelWhileTheLayerAboveDecidesGives487AndNoSession) {
  b.events.invite_delay = std::chrono::milliseconds(300);
  Request invite = invite_to_b(a.port());
  Request cancel = invite;
  cancel.method = Method::cancel;
  cancel.cseq.method = Method::cancel;
  cancel.content_type.reset();
  cancel.body.clear();
  Response to_invite, to_cancel;
  std::function<bool()> asked = [&] { return b.events.invites.size() == 1; };
  std::function<bool()> answered = [&] { return to_invite.status != 0; };
  ASSERT_TRUE(go([&]() -> asio::awaitable<void> {
    asio::co_spawn(io, a.agent->send_request(invite),  // runs now, alongside this test
                   [&](std::exception_ptr, Response r) { to_invite = std::move(r); });
    auto waiting = until(asked);
    co_await std::move(waiting);
    auto cancelling = a.agent->send_request(cancel);
    to_cancel = co_await std::move(cancelling);
    auto finishing = until(answered);
    co_await std::move(finishing);
  }()));
  EXPECT_EQ(to_cancel.status, 200);
  EXPECT_EQ(to_invite.status, 487);
  EXPECT_TRUE(b.events.sessions_ended.empty());
}

}  // namespace
}  // namespace fedgate::sip::test
