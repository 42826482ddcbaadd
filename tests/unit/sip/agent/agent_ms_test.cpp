// SipAgent, Microsoft-dialect details over loopback mutual TLS (MS-SIPRE): BENOTIFY sent
// without a transaction and applied by the subscriber unanswered; an in-session MESSAGE
// answered with what the layer above decides (its 200 follows the durable accept).
#include <gtest/gtest.h>

// GCC 12 (-O1, ASan): Asio coroutine frame new/delete false positive (see sip_net).
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

#include "agent_harness.hpp"
#include "sip/dialog/dialog_error.hpp"

namespace fedgate::sip::test {
namespace {

namespace asio = boost::asio;

Body text(std::string s) { return Body{MediaType::parse("text/plain;charset=UTF-8").value(), s}; }
Body pidf(std::string note) {
  return Body{MediaType::parse("application/pidf+xml").value(),
              "<?xml version=\"1.0\"?><presence xmlns=\"urn:ietf:params:xml:ns:pidf\" "
              "entity=\"sip:bob@b.example\"><tuple id=\"t1\"><status><basic>open</basic>"
              "</status><note>" +
                  note + "</note></tuple></presence>"};
}

struct AgentMsTest : ::testing::Test {
  asio::io_context io;
  Pki pki{{"a.example", "b.example"}};
  Node a{io, pki, "a.example"};
  Node b{io, pki, "b.example"};
  presence::Address alice = address("alice@a.example");
  presence::Address bob = address("bob@b.example");
  AgentMsTest() {
    a.knows(b);
    b.knows(a);
  }
  bool go(asio::awaitable<void> work) { return run(io, std::move(work), {&a, &b}); }
};

TEST_F(AgentMsTest, BestEffortNotifyIsABenotifyTheSubscriberAppliesWithoutAnswer) {
  b.events.first_body = pidf("first");
  std::function<bool()> second = [&] { return a.events.notifies.size() == 2; };
  result<Response> sent = make_error_code(DialogErrc::unknown_dialog);
  ASSERT_TRUE(go([&]() -> asio::awaitable<void> {
    SubscribeRequest request(alice, bob);
    request.supported = {"ms-benotify"};
    auto subscribing = a.agent->subscribe(std::move(request));
    auto id = co_await std::move(subscribing);
    EXPECT_TRUE(id.has_value());
    auto notifying = b.agent->notify(b.events.subscribes.at(0).dialog, SubState::active,
                                     pidf("best effort"), true);
    sent = co_await std::move(notifying);
    auto waiting = wait_for(second);
    co_await std::move(waiting);
  }()));
  ASSERT_TRUE(sent.has_value());
  EXPECT_EQ(sent->status, 200);  // written: a BENOTIFY gets no response
  ASSERT_EQ(a.events.notifies.size(), 2u);
  EXPECT_NE(a.events.notifies[1].notification.body.bytes.find("best effort"), std::string::npos);
  EXPECT_EQ(a.registry.value("fedgate_sip_agent_requests_total",
                             {{"method", "BENOTIFY"}, {"direction", "in"}}),
            1);
}

TEST_F(AgentMsTest, InSessionMessageIsAnsweredWithTheDecisionOfTheLayerAbove) {
  b.events.session_answer.status = 403;
  b.events.session_answer.reason = "Forbidden";
  MessageResult refused;
  ASSERT_TRUE(go([&]() -> asio::awaitable<void> {
    auto opening = a.agent->open_session(alice, bob, text("hello"));
    SessionOpened opened = co_await std::move(opening);
    auto sending = a.agent->send_in_session(opened.dialog, text("not taken"));
    refused = co_await std::move(sending);
  }()));
  EXPECT_EQ(refused.outcome, MessageOutcome::failed);
  EXPECT_EQ(refused.status, 403);
  ASSERT_EQ(b.events.in_session.size(), 1u);
  EXPECT_EQ(b.events.in_session[0].body.bytes, "not taken");
  EXPECT_GT(b.events.in_session[0].cseq, 0u);
}

}  // namespace
}  // namespace fedgate::sip::test
