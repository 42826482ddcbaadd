// Switchboard, instant messages: route → accept (durability point) → deliver; refusals with
// their reason; bounces from the pool, from the recipient's server and for missing SIP side;
// delivery settling; restore of undelivered messages.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>

#include "switchboard_harness.hpp"

namespace fedgate::gateway::test {
namespace {

using RowState = presence::InMemoryOutbox::RowState;

constexpr std::string_view kFromBob =
    "<message from='bob@partner.test/r' to='alice@home.test' id='m1' type='chat'>"
    "<body>hi</body></message>";

presence::OutboundMessage accepted_before_restart() {
  presence::OutboundMessage m;
  m.in_id = "old";
  m.from = presence::Address::parse("bob@partner.test").value();
  m.to = presence::Address::parse("alice@home.test").value();
  m.content.body = "sent before the restart";
  return m;
}

TEST(SwitchboardMessage, InboundChatIsAcceptedThenRelayedToTheHome) {
  Bench b;
  b.stanza_in(kFromBob);
  EXPECT_EQ(b.outbox.state_of(1), RowState::accepted);
  ASSERT_EQ(b.xmpp.sent.size(), 1u);
  EXPECT_EQ(b.xmpp.sent[0].pair.local, "partner.test");
  EXPECT_EQ(b.xmpp.sent[0].pair.remote, "home.test");
  EXPECT_EQ(wire(b.last()),
            "<message from='bob@partner.test/r' to='alice@home.test' type='chat' id='fg-1'>"
            "<body>hi</body></message>");
  EXPECT_EQ(b.switchboard->in_flight(), 1u);
}

TEST(SwitchboardMessage, DeniedDomainGetsForbiddenAndNothingIsStored) {
  auto rows = default_rows();
  rows.xmpp_default = presence::PolicyDefault::deny;
  Bench b(rows);
  b.stanza_in(kFromBob);
  EXPECT_FALSE(b.outbox.state_of(1).has_value());
  ASSERT_EQ(b.xmpp.sent.size(), 1u);
  EXPECT_EQ(b.xmpp.sent[0].pair.remote, "partner.test");
  EXPECT_EQ(wire(b.last()),
            "<message to='bob@partner.test/r' from='alice@home.test' id='m1' type='error'>"
            "<error type='auth'><forbidden xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"
            "</error></message>");
  EXPECT_EQ(
      b.metric("fedgate_switchboard_decisions_total",
               {{"kind", "message"}, {"outcome", "refuse"}, {"reason", "domain_not_federated"}}),
      1);
}

TEST(SwitchboardMessage, PoolBounceReachesTheSenderWithItsOwnId) {
  Bench b;
  b.stanza_in(kFromBob);
  b.switchboard->on_xmpp_bounce(b.last(), xmpp::StanzaErrc::remote_server_timeout);
  ASSERT_TRUE(b.run_until([&] { return b.xmpp.sent.size() == 2; }));
  EXPECT_EQ(b.outbox.state_of(1), RowState::bounced);
  auto& error = b.last();
  EXPECT_EQ(error.attr("type"), "error");
  EXPECT_EQ(error.attr("id"), "m1");
  EXPECT_EQ(error.attr("to"), "bob@partner.test/r");
  EXPECT_EQ(error.attr("from"), "alice@home.test");
  EXPECT_NE(wire(error).find("<remote-server-timeout"), std::string::npos);
  EXPECT_EQ(b.switchboard->in_flight(), 0u);
}

TEST(SwitchboardMessage, RecipientServerErrorForAnAcceptedMessageIsBounced) {
  Bench b;
  b.stanza_in(kFromBob);
  b.stanza_in(
      "<message from='alice@home.test' to='bob@partner.test/r' id='fg-1' type='error'>"
      "<error type='cancel'><service-unavailable "
      "xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>");
  EXPECT_EQ(b.outbox.state_of(1), RowState::bounced);
  ASSERT_EQ(b.xmpp.sent.size(), 2u);
  EXPECT_EQ(b.last().attr("id"), "m1");
  EXPECT_NE(wire(b.last()).find("<service-unavailable"), std::string::npos);
}

TEST(SwitchboardMessage, HandedOverMessagesAreDeliveredAfterTheSettleTime) {
  SwitchboardConfig config;
  config.delivery_settle = std::chrono::milliseconds(0);
  config.tick = std::chrono::milliseconds(5);
  Bench b(default_rows(), config);
  b.stanza_in(kFromBob);
  b.tasks.spawn("timers", b.switchboard->run());
  EXPECT_TRUE(
      b.run_until([&] { return b.metric("fedgate_switchboard_delivered_total", {}) == 1; }));
  EXPECT_EQ(b.outbox.state_of(1), RowState::delivered);
}

TEST(SwitchboardMessage, ChatStatesAreRelayedWithoutTheOutbox) {
  Bench b;
  b.stanza_in(
      "<message from='bob@partner.test/r' to='alice@home.test' type='chat'>"
      "<composing xmlns='http://jabber.org/protocol/chatstates'/></message>");
  EXPECT_FALSE(b.outbox.state_of(1).has_value());
  ASSERT_EQ(b.xmpp.sent.size(), 1u);
  EXPECT_EQ(b.last().attr("id"), "fg-e1");
  EXPECT_EQ(b.switchboard->in_flight(), 0u);
}

TEST(SwitchboardMessage, SipBoundMessageBouncesWhileNoSipSideIsAttached) {
  Bench b;
  b.stanza_in(
      "<message from='alice@home.test/d' to='joe@lync.test' id='a1' type='chat'>"
      "<body>hello</body></message>");
  ASSERT_TRUE(b.run_until([&b] { return !b.xmpp.sent.empty(); }));  // after the commit
  EXPECT_EQ(b.outbox.state_of(1), RowState::bounced);
  ASSERT_EQ(b.xmpp.sent.size(), 1u);
  EXPECT_EQ(b.last().attr("to"), "alice@home.test/d");
  EXPECT_NE(wire(b.last()).find("<remote-server-not-found"), std::string::npos);
  EXPECT_EQ(b.metric("fedgate_switchboard_sip_unavailable_total", {{"effect", "message"}}), 1);
}

TEST(SwitchboardMessage, SipBoundMessageOpensASessionThroughTheSipSide) {
  Bench b;
  RecordingSip sip;
  b.switchboard->set_sip_side(&sip);
  b.stanza_in(
      "<message from='alice@home.test/d' to='joe@lync.test' id='a1' type='chat'>"
      "<body>hello</body></message>");
  EXPECT_EQ(b.outbox.state_of(1), RowState::accepted);
  EXPECT_EQ(sip.calls, std::vector<std::string>{"invite"});
  EXPECT_TRUE(b.xmpp.sent.empty());
}

TEST(SwitchboardMessage, RestoreRedeliversWhatWasAcceptedButNotDelivered) {
  Bench b;
  ASSERT_TRUE(b.outbox.accept(accepted_before_restart()));
  ASSERT_TRUE(b.run(b.switchboard->restore()));
  ASSERT_EQ(b.xmpp.sent.size(), 1u);
  EXPECT_EQ(b.last().attr("id"), "fg-1");
  EXPECT_EQ(b.last().child("body", "jabber:server")->text, "sent before the restart");
}

TEST(SwitchboardMessage, HeldInputWaitsForRestoreAndGoesAfterTheOlderMessages) {
  Bench b;
  ASSERT_TRUE(b.outbox.accept(accepted_before_restart()));
  b.switchboard->hold_until_restored();
  bool handled = false;
  boost::asio::co_spawn(b.io, b.switchboard->on_stanza(parse_stanza(kFromBob)),
                        [&handled](std::exception_ptr) { handled = true; });
  EXPECT_FALSE(b.run_until([&handled] { return handled; }, std::chrono::milliseconds(200)));
  EXPECT_TRUE(b.xmpp.sent.empty());
  EXPECT_FALSE(b.switchboard->restored());
  ASSERT_TRUE(b.run(b.switchboard->restore()));
  EXPECT_TRUE(b.switchboard->restored());
  ASSERT_TRUE(b.run_until([&handled] { return handled; }));
  ASSERT_EQ(b.xmpp.sent.size(), 2u);
  EXPECT_EQ(b.xmpp.sent[0].stanza.child("body", "jabber:server")->text, "sent before the restart");
  EXPECT_EQ(b.xmpp.sent[1].stanza.child("body", "jabber:server")->text, "hi");
}

TEST(SwitchboardMessage, HeldInputGoesOnWhenRestoreGivesUp) {
  SwitchboardConfig config;
  config.policy_wait = std::chrono::milliseconds(50);
  Bench b(default_rows(), config);
  b.rows = nullptr;  // the policy never loads: restore gives up
  b.switchboard->hold_until_restored();
  bool handled = false;
  boost::asio::co_spawn(b.io, b.switchboard->on_stanza(parse_stanza(kFromBob)),
                        [&handled](std::exception_ptr) { handled = true; });
  ASSERT_TRUE(b.run(b.switchboard->restore()));
  ASSERT_TRUE(b.run_until([&handled] { return handled; }));
  ASSERT_EQ(b.xmpp.sent.size(), 1u);  // the input met the missing policy itself
  EXPECT_NE(wire(b.last()).find("<service-unavailable"), std::string::npos);
}

TEST(SwitchboardMessage, NoPolicyYetMeansServiceUnavailable) {
  Bench b;
  b.rows = nullptr;
  b.stanza_in(kFromBob);
  ASSERT_EQ(b.xmpp.sent.size(), 1u);
  EXPECT_NE(wire(b.last()).find("<service-unavailable"), std::string::npos);
  EXPECT_FALSE(b.outbox.state_of(1).has_value());
}

}  // namespace
}  // namespace fedgate::gateway::test
