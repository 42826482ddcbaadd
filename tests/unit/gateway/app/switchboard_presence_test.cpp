// Switchboard, subscriptions, presence and iq: machine effects persisted and sent; polite
// blocking answered without asking the home; presence from refused domains dropped; iq relayed
// between XMPP sides only.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <chrono>

#include "switchboard_harness.hpp"

namespace fedgate::gateway::test {
namespace {

TEST(SwitchboardPresence, PartnerSubscriptionIsStoredAndAskedOfTheHome) {
  Bench b;
  b.stanza_in(
      "<presence from='bob@partner.test/r' to='alice@home.test' id='s1' type='subscribe'/>");
  auto rows = b.subscriptions.load_all();
  ASSERT_TRUE(rows);
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].state, presence::SubscriptionState::pending);
  ASSERT_EQ(b.xmpp.sent.size(), 1u);
  EXPECT_EQ(b.xmpp.sent[0].pair.remote, "home.test");
  EXPECT_EQ(wire(b.last()),
            "<presence from='bob@partner.test' to='alice@home.test' type='subscribe' id='s1'/>");
  EXPECT_EQ(b.switchboard->subscriptions(), 1u);
}

TEST(SwitchboardPresence, ApprovalMakesItActiveAndPresenceFlows) {
  Bench b;
  b.stanza_in("<presence from='bob@partner.test/r' to='alice@home.test' type='subscribe'/>");
  b.stanza_in("<presence from='alice@home.test' to='bob@partner.test' type='subscribed'/>");
  b.stanza_in(
      "<presence from='alice@home.test/desk' to='bob@partner.test'>"
      "<show>dnd</show><status>busy</status></presence>");
  auto rows = b.subscriptions.load_all();
  ASSERT_TRUE(rows);
  EXPECT_EQ((*rows)[0].state, presence::SubscriptionState::active);
  EXPECT_EQ(wire(b.last()),
            "<presence from='alice@home.test' to='bob@partner.test'><show>dnd</show>"
            "<status>busy</status></presence>");
  EXPECT_TRUE(b.run_until([&b] { return b.switchboard->presence_unwritten() == 0; }));
  EXPECT_TRUE(b.cache.get(presence::Address::parse("alice@home.test").value()).value());
}

// Two partner watchers of alice: the home server addresses each one; each stanza reaches only
// its addressee (no N x N fan-out).
TEST(SwitchboardPresence, DirectedPresenceReachesOnlyItsAddressee) {
  Bench b;
  for (const char* who : {"bob", "carol"}) {
    b.stanza_in(
        fmt::format("<presence from='{}@partner.test/r' to='alice@home.test' "
                    "type='subscribe'/>",
                    who));
    b.stanza_in(
        fmt::format("<presence from='alice@home.test' to='{}@partner.test' "
                    "type='subscribed'/>",
                    who));
  }
  auto before = b.xmpp.sent.size();
  b.stanza_in("<presence from='alice@home.test/desk' to='carol@partner.test'/>");
  ASSERT_EQ(b.xmpp.sent.size(), before + 1);
  EXPECT_EQ(b.last().attr("to"), "carol@partner.test");
}

TEST(SwitchboardPresence, PresenceOfASubscriptionOlderThanFedgateIsRelayedAsIs) {
  Bench b;
  b.stanza_in(
      "<presence from='bob@partner.test/r' to='alice@home.test'><show>away</show>"
      "</presence>");
  ASSERT_EQ(b.xmpp.sent.size(), 1u);
  EXPECT_EQ(wire(b.last()),
            "<presence from='bob@partner.test/r' to='alice@home.test'><show>away</show>"
            "</presence>");
}

TEST(SwitchboardPresence, PresenceToABlockedUserIsNotRelayed) {
  auto rows = default_rows();
  rows.user_policies.push_back({"alice@home.test", "bob@partner.test", presence::RuleAction::block,
                                presence::RuleScope::both});
  Bench b(rows);
  b.stanza_in("<presence from='alice@home.test/desk' to='bob@partner.test'/>");
  EXPECT_TRUE(b.xmpp.sent.empty());
  EXPECT_EQ(b.metric("fedgate_switchboard_decisions_total",
                     {{"kind", "presence"}, {"outcome", "drop"}, {"reason", "user_policy_block"}}),
            1);
}

TEST(SwitchboardPresence, BlockedWatcherIsAnsweredWithoutAskingTheHome) {
  auto rows = default_rows();
  rows.user_policies.push_back({"alice@home.test", "bob@partner.test", presence::RuleAction::block,
                                presence::RuleScope::both});
  Bench b(rows);
  b.stanza_in(
      "<presence from='bob@partner.test/r' to='alice@home.test' id='s1' type='subscribe'/>");
  ASSERT_EQ(b.xmpp.sent.size(), 2u);
  for (const auto& s : b.xmpp.sent) {
    EXPECT_EQ(s.pair.remote, "partner.test") << wire(s.stanza);
  }
  EXPECT_EQ(wire(b.xmpp.sent[0].stanza),
            "<presence from='alice@home.test' to='bob@partner.test' type='subscribed' id='s1'/>");
  EXPECT_EQ(wire(b.xmpp.sent[1].stanza),
            "<presence from='alice@home.test' to='bob@partner.test' type='unavailable'/>");
  EXPECT_EQ(b.subscriptions.load_all().value()[0].state, presence::SubscriptionState::polite_block);
}

TEST(SwitchboardPresence, DeniedDomainSubscriptionIsRefusedWithForbidden) {
  auto rows = default_rows();
  rows.xmpp_default = presence::PolicyDefault::deny;
  Bench b(rows);
  b.stanza_in(
      "<presence from='bob@partner.test/r' to='alice@home.test' id='s1' type='subscribe'/>");
  ASSERT_EQ(b.xmpp.sent.size(), 1u);
  EXPECT_EQ(wire(b.last()),
            "<presence from='alice@home.test' to='bob@partner.test' type='error' id='s1'>"
            "<error type='auth'><forbidden xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"
            "</error></presence>");
  EXPECT_TRUE(b.subscriptions.load_all().value().empty());
}

TEST(SwitchboardPresence, PresenceFromARefusedDomainIsDropped) {
  auto rows = default_rows();
  rows.xmpp_default = presence::PolicyDefault::deny;
  Bench b(rows);
  b.stanza_in("<presence from='bob@partner.test/r' to='alice@home.test'/>");
  EXPECT_TRUE(b.xmpp.sent.empty());
  EXPECT_EQ(b.metric("fedgate_switchboard_decisions_total",
                     {{"kind", "presence"}, {"outcome", "drop"}, {"reason", "not_permitted"}}),
            1);
}

TEST(SwitchboardPresence, SubscriptionToASipUserWithoutSipSideIsAnsweredWithAnError) {
  Bench b;
  b.stanza_in("<presence from='alice@home.test' to='joe@lync.test' id='s2' type='subscribe'/>");
  ASSERT_FALSE(b.xmpp.sent.empty());
  EXPECT_EQ(b.last().attr("type"), "error");
  EXPECT_EQ(b.last().attr("to"), "alice@home.test");
  EXPECT_NE(wire(b.last()).find("<remote-server-not-found"), std::string::npos);
  EXPECT_EQ(
      b.metric("fedgate_switchboard_sip_unavailable_total", {{"effect", "send_subscription"}}), 1);
}

presence::WallTime stored_expiry(Bench& b) {
  auto rows = b.subscriptions.load_all().value();
  return rows.size() == 1 ? rows[0].expires : presence::WallTime{};
}

// Each NOTIFY of a SIP presentity reports a fresh expiry; the stored row follows only when it
// moved by more than the slack (no store commit per presence update), or the dialog changed.
TEST(SwitchboardPresence, NotifyThatOnlyRenewsTheExpiryIsNotStored) {
  Bench b;
  RecordingSip sip;
  b.switchboard->set_sip_side(&sip);
  b.stanza_in("<presence from='alice@home.test' to='joe@lync.test' type='subscribe'/>");
  presence::SipSubscriptionEvent e;
  e.watcher = presence::Address::parse("alice@home.test").value();
  e.presentity = presence::Address::parse("joe@lync.test").value();
  e.expires = std::chrono::system_clock::now() + std::chrono::hours(1);
  e.sip_dialog = "d1";
  const auto first = e.expires;
  ASSERT_TRUE(b.run(b.switchboard->on_sip_state(e)));
  EXPECT_EQ(stored_expiry(b), first);
  e.expires += std::chrono::seconds(10);
  ASSERT_TRUE(b.run(b.switchboard->on_sip_state(e)));
  EXPECT_EQ(stored_expiry(b), first);
  e.sip_dialog = "d2";
  ASSERT_TRUE(b.run(b.switchboard->on_sip_state(e)));
  EXPECT_EQ(stored_expiry(b), e.expires);
  EXPECT_EQ(b.subscriptions.load_all().value().at(0).sip_dialog, "d2");
}

TEST(SwitchboardPresence, IqIsRelayedBetweenXmppSidesOnly) {
  Bench b;
  b.stanza_in(
      "<iq from='bob@partner.test/r' to='alice@home.test/d' id='q1' type='get'>"
      "<query xmlns='http://jabber.org/protocol/disco#info'/></iq>");
  ASSERT_EQ(b.xmpp.sent.size(), 1u);
  EXPECT_EQ(b.last().attr("id"), "q1");
  EXPECT_EQ(b.xmpp.sent[0].pair.remote, "home.test");
  b.stanza_in("<iq from='bob@partner.test/r' to='carol@elsewhere.test' id='q2' type='get'/>");
  ASSERT_EQ(b.xmpp.sent.size(), 2u);
  EXPECT_EQ(b.last().attr("type"), "error");
  EXPECT_EQ(b.xmpp.sent[1].pair.remote, "partner.test");
}

}  // namespace
}  // namespace fedgate::gateway::test
