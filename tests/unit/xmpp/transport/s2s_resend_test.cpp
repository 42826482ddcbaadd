// XEP-0198 on s2s, DESIGN.md "delivered": stanzas written but unacknowledged when a stream
// dies are sent once more on a new stream; if that one dies too, they bounce to the sender.
// The transport is killed mid-flight by cutting a TCP relay between the two sides.
#include <gtest/gtest.h>

#include "s2s_harness.hpp"

namespace fedgate::xmpp::test {
namespace {

namespace asio = boost::asio;
const DomainPair kAtoB{"a.example", "b.example"};

// `a` never asks for acknowledgements (<r/>): what it writes stays unacknowledged.
void never_request_acks(Side& a) {
  auto c = std::make_shared<StreamConfig>(*a.config.stream.load());
  c->sm_request_every = 1000;
  a.config.stream = c;
}

void send_three(Side& a) {
  for (int i = 0; i < 3; ++i) {
    a.pool->send(kAtoB, chat("alice@a.example", "bob@b.example", "m" + std::to_string(i)));
  }
}

TEST(S2sResend, UnacknowledgedStanzasGoOutOnceMoreOnANewStream) {
  Pki pki;
  asio::io_context io;
  Side a(io, pki, "a.example", "a");
  Side b(io, pki, "b.example", "b");
  never_request_acks(a);
  Relay relay(io, b.listen());
  a.route("b.example", relay.port());
  send_three(a);
  ASSERT_TRUE(run_until(io, [&] { return b.handler.stanzas.size() == 3; }));
  relay.cut();  // written, received, never acknowledged
  ASSERT_TRUE(run_until(io, [&] { return b.handler.stanzas.size() == 6; }));
  EXPECT_EQ(b.handler.stanzas[3].child("body")->text, "m0");
  EXPECT_EQ(b.handler.stanzas[5].child("body")->text, "m2");
  EXPECT_EQ(relay.accepted, 2);
  EXPECT_EQ(a.metric("fedgate_xmpp_s2s_resent_total"), 3);
  EXPECT_TRUE(a.bounced.empty());
}

TEST(S2sResend, StanzasUnacknowledgedOnTwoStreamsBounce) {
  Pki pki;
  asio::io_context io;
  Side a(io, pki, "a.example", "a");
  Side b(io, pki, "b.example", "b");
  never_request_acks(a);
  Relay relay(io, b.listen());
  a.route("b.example", relay.port());
  send_three(a);
  ASSERT_TRUE(run_until(io, [&] { return b.handler.stanzas.size() == 3; }));
  relay.cut();
  ASSERT_TRUE(run_until(io, [&] { return b.handler.stanzas.size() == 6; }));
  relay.cut();  // the resent copies die unacknowledged as well
  ASSERT_TRUE(run_until(io, [&] { return a.bounced.size() == 3; }));
  EXPECT_EQ(a.bounced[0].first.child("body")->text, "m0");
  EXPECT_EQ(a.bounced[0].second, StanzaErrc::remote_server_not_found);
  EXPECT_EQ(a.metric("fedgate_xmpp_s2s_resent_total"), 3);
  EXPECT_EQ(b.handler.stanzas.size(), 6u);  // never a third copy
}

TEST(S2sResend, AcknowledgedStanzasAreNotResent) {
  Pki pki;
  asio::io_context io;
  Side a(io, pki, "a.example", "a");
  Side b(io, pki, "b.example", "b");
  Relay relay(io, b.listen());
  a.route("b.example", relay.port());
  for (int i = 0; i < 5; ++i) {  // sm_request_every = 5: the fifth asks for <a/>
    a.pool->send(kAtoB, chat("alice@a.example", "bob@b.example", std::to_string(i)));
  }
  ASSERT_TRUE(run_until(io, [&] { return a.metric("fedgate_xmpp_s2s_delivered_total") == 5; }));
  relay.cut();
  run_until(io, [&] { return a.pool->streams() == 0; });
  EXPECT_EQ(a.metric("fedgate_xmpp_s2s_resent_total"), 0);
  EXPECT_EQ(b.handler.stanzas.size(), 5u);
  EXPECT_TRUE(a.bounced.empty());
}

}  // namespace
}  // namespace fedgate::xmpp::test
