// XEP-0198 acknowledgements reported to the node (DeliveredFn, by stanza id) and a graceful
// stop that holds what is queued or unacknowledged instead of bouncing it (the outbox sends
// accepted messages again at the next start).
#include <gtest/gtest.h>

#include "s2s_harness.hpp"

namespace fedgate::xmpp::test {
namespace {

namespace asio = boost::asio;
const DomainPair kAtoB{"a.example", "b.example"};

Element chat_with_id(const std::string& id) {
  auto message = chat("alice@a.example", "bob@b.example", "hello " + id);
  message.set("id", id);
  return message;
}

void send_five(Side& a) {  // sm_request_every = 5: the fifth asks for <a/>
  for (int i = 0; i < 5; ++i) {
    a.pool->send(kAtoB, chat_with_id("d" + std::to_string(i)));
  }
}

void with_stream_config(Side& side, const std::function<void(StreamConfig&)>& change) {
  auto c = std::make_shared<StreamConfig>(*side.config.stream.load());
  change(*c);
  side.config.stream = c;
}

TEST(S2sDelivery, AcknowledgedStanzasAreReportedByTheirIds) {
  Pki pki;
  asio::io_context io;
  Side a(io, pki, "a.example", "a");
  Side b(io, pki, "b.example", "b");
  a.route("b.example", b.listen());
  send_five(a);
  ASSERT_TRUE(run_until(io, [&] { return a.delivered.size() == 5; }));
  EXPECT_EQ(a.delivered, (std::vector<std::string>{"d0", "d1", "d2", "d3", "d4"}));
  EXPECT_EQ(b.handler.stanzas.size(), 5u);
}

TEST(S2sDelivery, TheReceiverAcknowledgesOnlyWhatItsHandlerHasTaken) {
  Pki pki;
  asio::io_context io;
  Side a(io, pki, "a.example", "a");
  Side b(io, pki, "b.example", "b");
  b.handler.hold = true;  // b's handler is slow to commit what it receives
  a.route("b.example", b.listen());
  send_five(a);  // the <r/> after the fifth may arrive in the same read as the stanzas
  run_until(
      io, [] { return false; }, std::chrono::milliseconds(300));
  EXPECT_TRUE(a.delivered.empty());
  EXPECT_TRUE(b.handler.stanzas.empty());
  b.handler.hold = false;
  ASSERT_TRUE(run_until(io, [&] { return a.delivered.size() == 5; }));
  EXPECT_EQ(b.handler.stanzas.size(), 5u);
}

TEST(S2sDelivery, TheReceiverHandsEveryStanzaOfABurstToItsHandlerAtOnce) {
  Pki pki;
  asio::io_context io;
  Side a(io, pki, "a.example", "a");
  Side b(io, pki, "b.example", "b");
  b.handler.hold = true;  // none of them completes
  a.route("b.example", b.listen());
  send_five(a);
  ASSERT_TRUE(run_until(io, [&] { return b.handler.started == 5; }));
  EXPECT_TRUE(b.handler.stanzas.empty());
  EXPECT_TRUE(a.delivered.empty());
  b.handler.hold = false;
  ASSERT_TRUE(run_until(io, [&] { return a.delivered.size() == 5; }));
}

TEST(S2sDelivery, WrittenButUnacknowledgedStanzasAreNotReported) {
  Pki pki;
  asio::io_context io;
  Side a(io, pki, "a.example", "a");
  Side b(io, pki, "b.example", "b");
  with_stream_config(a, [](StreamConfig& c) { c.sm_request_every = 1000; });  // never <r/>
  a.route("b.example", b.listen());
  send_five(a);
  ASSERT_TRUE(run_until(io, [&] { return b.handler.stanzas.size() == 5; }));
  run_until(
      io, [] { return false; }, std::chrono::milliseconds(200));
  EXPECT_TRUE(a.delivered.empty());
}

TEST(S2sDelivery, AStreamWithoutStreamManagementReportsNothing) {
  Pki pki;
  asio::io_context io;
  Side a(io, pki, "a.example", "a");
  Side b(io, pki, "b.example", "b");
  with_stream_config(b, [](StreamConfig& c) { c.stream_management = false; });  // not offered
  a.route("b.example", b.listen());
  send_five(a);
  ASSERT_TRUE(run_until(io, [&] { return b.handler.stanzas.size() == 5; }));
  run_until(
      io, [] { return false; }, std::chrono::milliseconds(200));
  EXPECT_EQ(a.metric("fedgate_xmpp_s2s_delivered_total"), 5);  // written counts as delivered
  EXPECT_TRUE(a.delivered.empty());  // ... but is not acknowledged: the settle window applies
}

TEST(S2sDelivery, StanzasWithoutAnIdAreNotReported) {
  Pki pki;
  asio::io_context io;
  Side a(io, pki, "a.example", "a");
  Side b(io, pki, "b.example", "b");
  a.route("b.example", b.listen());
  for (int i = 0; i < 5; ++i) {
    auto message = chat_with_id("d" + std::to_string(i));
    if (i % 2 == 1) {
      message.erase_attribute("id");
    }
    a.pool->send(kAtoB, std::move(message));
  }
  ASSERT_TRUE(run_until(io, [&] { return a.metric("fedgate_xmpp_s2s_delivered_total") == 5; }));
  EXPECT_EQ(a.delivered, (std::vector<std::string>{"d0", "d2", "d4"}));
}

TEST(S2sDelivery, ShutdownHoldsUnacknowledgedStanzasInsteadOfBouncing) {
  Pki pki;
  asio::io_context io;
  Side a(io, pki, "a.example", "a");
  Side b(io, pki, "b.example", "b");
  with_stream_config(a, [](StreamConfig& c) { c.sm_request_every = 1000; });
  a.route("b.example", b.listen());
  send_five(a);
  ASSERT_TRUE(run_until(io, [&] { return b.handler.stanzas.size() == 5; }));
  a.pool->shutdown();
  ASSERT_TRUE(run_until(io, [&] { return a.pool->streams() == 0; }));
  EXPECT_TRUE(a.bounced.empty());
  EXPECT_EQ(a.metric("fedgate_xmpp_s2s_held_total"), 5);
  EXPECT_EQ(a.metric("fedgate_xmpp_s2s_resent_total"), 0);
}

TEST(S2sDelivery, ShutdownHoldsQueuedAndLaterStanzasInsteadOfBouncing) {
  Pki pki;
  asio::io_context io;
  Side a(io, pki, "a.example", "a");
  Side b(io, pki, "b.example", "b");
  a.route("b.example", b.listen());
  send_five(a);  // queued while the stream dials
  a.pool->shutdown();
  a.pool->send(kAtoB, chat_with_id("late"));
  ASSERT_TRUE(run_until(io, [&] { return a.pool->streams() == 0; }));
  EXPECT_TRUE(a.bounced.empty());
  EXPECT_EQ(a.metric("fedgate_xmpp_s2s_held_total"), 6);  // none went out before the stop
  EXPECT_EQ(b.handler.stanzas.size(), 0u);
}

}  // namespace
}  // namespace fedgate::xmpp::test
