// Switchboard, IM sessions with SIP users: a session the SIP user opened carries the replies
// (no second INVITE dialog), its BYE or the idle close ends it; acknowledged XMPP stanzas are
// delivered at once instead of after the settle time.
#include <gtest/gtest.h>

#include "switchboard_harness.hpp"

namespace fedgate::gateway::test {
namespace {

using RowState = presence::InMemoryOutbox::RowState;

constexpr std::string_view kAliceToJoe =
    "<message from='alice@home.test/d' to='joe@lync.test' id='a1' type='chat'>"
    "<body>hello joe</body></message>";

presence::Address addr(std::string_view s) { return presence::Address::parse(s).value(); }

// joe@lync.test opened a session with alice ("their-dlg"); then alice writes to joe.
bool alice_writes_in_joes_session(Bench& b, RecordingSip& sip) {
  b.switchboard->set_sip_side(&sip);
  bool opened = b.run(
      b.switchboard->on_remote_invite(addr("joe@lync.test"), addr("alice@home.test"), "their-dlg"));
  b.stanza_in(kAliceToJoe);
  return opened;
}

TEST(SwitchboardSession, ReplyGoesInTheDialogTheSipUserOpened) {
  Bench b;
  RecordingSip sip;
  ASSERT_TRUE(alice_writes_in_joes_session(b, sip));
  EXPECT_EQ(sip.calls, std::vector<std::string>{"message"});
  EXPECT_EQ(sip.dialogs, std::vector<std::string>{"their-dlg"});
  EXPECT_EQ(b.outbox.state_of(1), RowState::accepted);
}

TEST(SwitchboardSession, AfterTheSipUsersByeANewInviteOpensTheNextSession) {
  Bench b;
  RecordingSip sip;
  b.switchboard->set_sip_side(&sip);
  ASSERT_TRUE(b.run(b.switchboard->on_remote_invite(addr("joe@lync.test"), addr("alice@home.test"),
                                                    "their-dlg")));
  ASSERT_TRUE(b.run(b.switchboard->on_bye(addr("joe@lync.test"), addr("alice@home.test"))));
  b.stanza_in(kAliceToJoe);
  EXPECT_EQ(sip.calls, std::vector<std::string>{"invite"});
}

TEST(SwitchboardSession, IdleSessionTheSipUserOpenedIsClosedWithBye) {
  SwitchboardConfig config;
  config.tick = std::chrono::milliseconds(5);
  config.chat.idle_timeout = std::chrono::milliseconds(20);
  Bench b(default_rows(), config);
  RecordingSip sip;
  b.switchboard->set_sip_side(&sip);
  ASSERT_TRUE(b.run(b.switchboard->on_remote_invite(addr("joe@lync.test"), addr("alice@home.test"),
                                                    "their-dlg")));
  b.tasks.spawn("timers", b.switchboard->run());
  EXPECT_TRUE(b.run_until([&] { return !sip.calls.empty(); }));
  EXPECT_EQ(sip.calls, std::vector<std::string>{"bye"});
  EXPECT_EQ(sip.dialogs, std::vector<std::string>{"their-dlg"});
}

TEST(SwitchboardSession, TheSipUsers200ToAMessageInTheDialogMarksItDelivered) {
  Bench b;
  RecordingSip sip;
  ASSERT_TRUE(alice_writes_in_joes_session(b, sip));
  ASSERT_EQ(sip.calls, std::vector<std::string>{"message"});
  b.switchboard->on_message_answer(1, presence::SipAnswer{200, "", "", ""});
  EXPECT_TRUE(
      b.run_until([&] { return b.metric("fedgate_switchboard_delivered_total", {}) == 1; }));
  EXPECT_EQ(b.outbox.state_of(1), RowState::delivered);
}

TEST(SwitchboardSession, AFailedMessageInTheDialogIsRetriedInANewSession) {
  Bench b;
  RecordingSip sip;
  ASSERT_TRUE(alice_writes_in_joes_session(b, sip));
  b.switchboard->on_message_answer(1, presence::SipAnswer{481, "", "", ""});  // dialog gone
  EXPECT_TRUE(b.run_until([&] { return sip.calls.size() == 2; }));
  EXPECT_EQ(sip.calls, (std::vector<std::string>{"message", "invite"}));
  EXPECT_EQ(b.outbox.state_of(1), RowState::accepted);
}

TEST(SwitchboardSession, AcknowledgedStanzaIsDeliveredBeforeTheSettleTime) {
  Bench b;  // delivery_settle: 60 s
  b.stanza_in(
      "<message from='bob@partner.test/r' to='alice@home.test' id='m1' type='chat'>"
      "<body>hi</body></message>");
  b.switchboard->on_xmpp_delivered("fg-9");  // not ours: ignored
  b.switchboard->on_xmpp_delivered("fg-1");
  EXPECT_TRUE(
      b.run_until([&] { return b.metric("fedgate_switchboard_delivered_total", {}) == 1; }));
  EXPECT_EQ(b.outbox.state_of(1), RowState::delivered);
  b.switchboard->on_xmpp_delivered("fg-1");  // a second ack counts nothing
  b.run_until([] { return false; }, std::chrono::milliseconds(50));
  EXPECT_EQ(b.metric("fedgate_switchboard_delivered_total", {}), 1);
}

// An XMPP user of the home watches joe (SIP); lync.test is then taken off the SIP federated list
// (XMPP default allow now covers the name): joe's NOTIFYs in the live dialog reach nobody.
TEST(SwitchboardSession, PresenceFromADomainNoLongerSipFederatedIsDropped) {
  Bench b;
  RecordingSip sip;
  b.switchboard->set_sip_side(&sip);
  b.stanza_in("<presence from='alice@home.test' to='joe@lync.test' type='subscribe'/>");
  presence::SipSubscriptionEvent active;
  active.watcher = addr("alice@home.test");
  active.presentity = addr("joe@lync.test");
  ASSERT_TRUE(b.run(b.switchboard->on_sip_state(active)));
  presence::Presence doc;
  doc.entity = addr("joe@lync.test");
  doc.availability = presence::Availability::available;
  auto before = b.xmpp.sent.size();
  ASSERT_TRUE(b.run(b.switchboard->on_presence_document(doc)));
  ASSERT_GT(b.xmpp.sent.size(), before);  // while federated: relayed to alice
  auto rows = default_rows();
  rows.version = 2;
  rows.sip_federated_domains.clear();
  b.rows = std::make_shared<const presence::PolicyRows>(rows);
  before = b.xmpp.sent.size();
  doc.availability = presence::Availability::away;  // a change: it would be relayed
  ASSERT_TRUE(b.run(b.switchboard->on_presence_document(doc)));
  EXPECT_EQ(b.xmpp.sent.size(), before);
  Labels dropped{{"kind", "presence"}, {"outcome", "drop"}, {"reason", "domain_not_sip_federated"}};
  EXPECT_EQ(b.metric("fedgate_switchboard_decisions_total", dropped), 1);
}

}  // namespace
}  // namespace fedgate::gateway::test
