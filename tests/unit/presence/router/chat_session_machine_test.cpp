// ChatSessionMachine: one dialog per pair, first message in the INVITE, queueing until the
// answer, idle close after 10 minutes, re-establishment on 408/480/481, bounces mapped per
// RFC 7247 §7, page mode. Driven with explicit time (no clock).
#include "presence/chat_session_machine.hpp"

#include <gtest/gtest.h>

#include "presence/error_mapping.hpp"
#include "tests/unit/presence/router/policy_fixture.hpp"

namespace fedgate::presence {
namespace {

using std::chrono::minutes;
using testing_support::addr;

const Address kRomeo = addr("romeo@partner-lync.example");
const Address kJuliet = addr("juliet@corp.example");
const TimePoint kT0{std::chrono::hours{1}};

OutboundMessage msg(std::int64_t id, const char* body = "hi",
                    DeliveryMode mode = DeliveryMode::sip_session) {
  OutboundMessage m;
  m.outbox_id = id;
  m.from = kJuliet;
  m.to = kRomeo;
  m.mode = mode;
  m.content.body = body;
  return m;
}

template <class T>
const T& only(const ChatEffects& fx) {
  EXPECT_EQ(fx.effects.size(), 1u);
  return std::get<T>(fx.effects.at(0));
}

TEST(ChatSessionMachine, FirstMessageOpensTheDialogOthersWaitThenFlow) {
  ChatSessionMachine chats;
  EXPECT_EQ(only<SendInvite>(chats.on_outbound(msg(1, "one"), kT0)).first.content.body, "one");
  EXPECT_TRUE(chats.on_outbound(msg(2, "two"), kT0).effects.empty());  // queued
  auto fx = chats.on_invite_answer(kRomeo, kJuliet, {200}, "dlg", kT0);
  ASSERT_EQ(fx.effects.size(), 2u);
  EXPECT_EQ(std::get<MarkDelivered>(fx.effects[0]).outbox_id, 1);
  EXPECT_EQ(std::get<SendInDialog>(fx.effects[1]).session.sip_dialog, "dlg");
  EXPECT_EQ(only<SendInDialog>(chats.on_outbound(msg(3), kT0)).message.outbox_id, 3);
  EXPECT_EQ(only<MarkDelivered>(chats.on_message_answer(3, {200}, kT0)).outbox_id, 3);
  EXPECT_EQ(chats.size(), 1u);  // one dialog per pair
}

TEST(ChatSessionMachine, IdleSessionIsClosedAfterTenMinutes) {
  ChatSessionMachine chats;
  chats.on_outbound(msg(1), kT0);
  auto fx = chats.on_invite_answer(kRomeo, kJuliet, {200}, "dlg", kT0);
  EXPECT_EQ(fx.wake_at, kT0 + minutes{10});
  EXPECT_TRUE(chats.on_wake(kT0 + minutes{9}).effects.empty());
  EXPECT_EQ(only<SendBye>(chats.on_wake(kT0 + minutes{10})).session.sip_user, kRomeo);
  EXPECT_EQ(chats.size(), 0u);
  EXPECT_TRUE(std::holds_alternative<SendInvite>(chats.on_outbound(msg(2), kT0).effects[0]));
}

TEST(ChatSessionMachine, DeadDialogIsReestablishedOnceThenBounces) {
  for (int status : {408, 480, 481}) {
    ChatSessionMachine chats;
    chats.on_outbound(msg(1), kT0);
    chats.on_invite_answer(kRomeo, kJuliet, {200}, "dlg", kT0);
    chats.on_outbound(msg(2, "again"), kT0);
    auto retry = only<SendInvite>(chats.on_message_answer(2, {status}, kT0));
    EXPECT_EQ(retry.first.content.body, "again");
    EXPECT_TRUE(retry.session.sip_dialog.empty());
    auto fail = only<Bounce>(chats.on_invite_answer(kRomeo, kJuliet, {status}, "", kT0));
    EXPECT_EQ(fail.message.outbox_id, 2);
    EXPECT_EQ(fail.error.condition, condition_for_sip(status)) << status;
  }
}

TEST(ChatSessionMachine, RejectedInviteBouncesEveryQueuedMessageWithDiagnostics) {
  ChatSessionMachine chats;
  chats.on_outbound(msg(1), kT0);
  chats.on_outbound(msg(2), kT0);
  SipAnswer busy{403, "Forbidden", "", "1003;reason=\"Blocked by policy\""};
  auto fx = chats.on_invite_answer(kRomeo, kJuliet, busy, "", kT0);
  ASSERT_EQ(fx.effects.size(), 2u);
  for (const auto& e : fx.effects) {
    EXPECT_EQ(std::get<Bounce>(e).error,
              (StanzaError{ErrorCondition::forbidden, "Blocked by policy"}));
  }
  EXPECT_EQ(chats.in_flight(), 0u);
}

TEST(ChatSessionMachine, PageModeSendsEachMessageAlone) {
  ChatSessionMachine chats;
  only<SendPage>(chats.on_outbound(msg(7, "x", DeliveryMode::sip_page), kT0));
  EXPECT_EQ(chats.size(), 0u);
  auto b = only<Bounce>(chats.on_message_answer(7, {486, "Busy Here"}, kT0));
  EXPECT_EQ(b.error, (StanzaError{ErrorCondition::recipient_unavailable, "Busy Here"}));
}

TEST(ChatSessionMachine, TypingNeverOpensADialogAndGoneSendsBye) {
  ChatSessionMachine chats;
  auto typing = msg(1, "");
  typing.content.chat_state = ChatState::composing;
  EXPECT_EQ(only<MarkDelivered>(chats.on_outbound(typing, kT0)).outbox_id, 1);
  chats.on_outbound(msg(2), kT0);
  chats.on_invite_answer(kRomeo, kJuliet, {200}, "dlg", kT0);
  auto gone = msg(3, "");
  gone.content.chat_state = ChatState::gone;  // RFC 7573 §6.1
  auto fx = chats.on_outbound(gone, kT0);
  ASSERT_EQ(fx.effects.size(), 2u);
  EXPECT_TRUE(std::holds_alternative<SendBye>(fx.effects[1]));
  EXPECT_EQ(chats.size(), 0u);
}

TEST(ChatSessionMachine, PartnerOpenedDialogIsReusedAndByeEndsIt) {
  ChatSessionMachine chats;
  chats.on_remote_invite(kRomeo, kJuliet, "their-dlg", kT0);
  EXPECT_EQ(only<SendInDialog>(chats.on_outbound(msg(1), kT0)).session.sip_dialog, "their-dlg");
  chats.on_bye(kRomeo, kJuliet, kT0);
  EXPECT_EQ(chats.find(kRomeo, kJuliet), nullptr);
}

}  // namespace
}  // namespace fedgate::presence
