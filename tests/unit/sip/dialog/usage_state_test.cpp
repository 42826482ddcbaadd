// Persisted subscription dialogs (Subscriber / Notifier serialize and restore): after a
// simulated node restart (new steady clock origin, same wall clock) the refresh SUBSCRIBE and
// the next NOTIFY continue the same dialog byte for byte; corrupt records are refused. Also
// the compact idle form: the dialog id is readable without decoding the dialog.
#include <gtest/gtest.h>

#include "sip/codec/serializer.hpp"
#include "sip/dialog/notifier.hpp"
#include "sip/dialog/subscriber.hpp"
#include "transcript.hpp"

namespace fedgate::sip {
namespace {

using test::branches;
using Wall = std::chrono::system_clock::time_point;

const Wall kWall = Wall{} + std::chrono::hours(24 * 365 * 55);        // some day in 2025
const TimePoint kAfterRestart = TimePoint{} + std::chrono::hours(5);  // a new steady origin

TEST(SubscriberState, RefreshAfterRestartContinuesTheSameDialog) {
  BranchGenerator gen{test::kSeed};
  Subscriber before = test::subscribed_to_bob(gen);
  const std::string record = before.serialize(TimePoint{} + seconds(100), kWall);
  EXPECT_TRUE(record.starts_with("S1\n"));
  auto after = Subscriber::restore(record, test::alice_watches_bob(), kAfterRestart, kWall);
  ASSERT_TRUE(after) << after.error().message();
  EXPECT_EQ(after->refresh_at(), kAfterRestart + seconds(1620 - 100));
  EXPECT_EQ(after->expires_at(), kAfterRestart + seconds(1800 - 100));
  EXPECT_EQ(after->dialog_id(), before.dialog_id());
  BranchGenerator g1{1};
  BranchGenerator g2{1};
  auto original = before.on_wake(TimePoint{} + seconds(1620), g1);
  auto restored = after->on_wake(after->refresh_at(), g2);
  ASSERT_TRUE(original && restored);
  EXPECT_EQ(original->cseq.sequence, 2u);
  EXPECT_EQ(restored->cseq.sequence, 2u + kRestartCseqGap);  // skips what followed the write
  restored->cseq.sequence = original->cseq.sequence;
  EXPECT_EQ(serialize(*restored), serialize(*original));
  EXPECT_EQ(restored->call_id, "s1@fedgate.corp.example");
}

TEST(SubscriberState, NotifyAfterRestartIsAcceptedInTheDialog) {
  BranchGenerator gen{test::kSeed};
  Subscriber before = test::subscribed_to_bob(gen);
  auto after = Subscriber::restore(before.serialize(TimePoint{}, kWall), test::alice_watches_bob(),
                                   kAfterRestart, kWall);
  ASSERT_TRUE(after);
  auto a = after->on_notify(test::request("sub_notify.sip", {"z9hG4bKnfy1"}), kAfterRestart);
  ASSERT_TRUE(a.respond);
  EXPECT_EQ(a.respond->status, 200);
  EXPECT_TRUE(a.notification);
}

TEST(SubscriberState, NoDialogYetMeansNothingToPersist) {
  BranchGenerator gen{test::kSeed};
  Subscriber s{test::alice_watches_bob()};
  s.start(gen);
  EXPECT_EQ(s.serialize(TimePoint{}, kWall), "");
}

TEST(SubscriberState, CorruptRecordsAreRefused) {
  BranchGenerator gen{test::kSeed};
  const std::string good = test::subscribed_to_bob(gen).serialize(TimePoint{}, kWall);
  for (const std::string& bad : {std::string{}, "S2" + good.substr(2), good.substr(0, 60),
                                 good + "x\n", std::string{"S1\nq\n0\n1\n1\n"}}) {
    auto s = Subscriber::restore(bad, test::alice_watches_bob(), kAfterRestart, kWall);
    ASSERT_FALSE(s) << bad;
    EXPECT_EQ(s.error(), make_error_code(DialogErrc::corrupt_state));
  }
}

TEST(SubscriberState, IdleDialogIdNeedsNoDecodedDialog) {
  BranchGenerator gen{test::kSeed};
  Subscriber s = test::subscribed_to_bob(gen);
  const DialogId id = s.dialog_id();
  EXPECT_EQ(id, (DialogId{"s1@fedgate.corp.example", "3c1d", "n77"}));
  EXPECT_EQ(s.dialog().id(), id);
  s.compact();
  EXPECT_EQ(s.dialog_id(), id);
  EXPECT_EQ(Subscriber{s}.dialog().remote_cseq(), 1u);  // copies keep the dialog
}

Notifier accepted_notifier() {
  const Request sub = test::request("sub_subscribe.sip", {"z9hG4bKsub1"});
  auto n = Notifier::create(sub, "n77", test::partner(), 1800, TimePoint{}).value();
  n.accept(sub, SubState::active, std::nullopt);
  return n;
}

TEST(NotifierState, NotifyAfterRestartContinuesTheSameDialog) {
  Notifier before = accepted_notifier();
  const std::string record = before.serialize(TimePoint{} + seconds(60), kWall);
  EXPECT_TRUE(record.starts_with("N1\n"));
  auto after = Notifier::restore(record, test::partner(), 1800, kAfterRestart, kWall);
  ASSERT_TRUE(after) << after.error().message();
  EXPECT_EQ(after->expires_at(), kAfterRestart + seconds(1800 - 60));
  EXPECT_EQ(after->state(), SubState::active);
  BranchGenerator g1{1};
  BranchGenerator g2{1};
  auto original =
      before.notify(SubState::active, std::nullopt, g1, TimePoint{} + seconds(60), true);
  auto restored = after->notify(SubState::active, std::nullopt, g2, kAfterRestart, true);
  // NOTIFYs sent after the last write must not be numbered again: the CSeq skips ahead.
  EXPECT_EQ(restored.cseq.sequence, original.cseq.sequence + kRestartCseqGap);
  restored.cseq.sequence = original.cseq.sequence;
  EXPECT_EQ(serialize(restored), serialize(original));
  EXPECT_EQ(restored.method, Method::benotify);  // ms-benotify was offered: kept
}

TEST(NotifierState, CorruptRecordsAreRefused) {
  const std::string good = accepted_notifier().serialize(TimePoint{}, kWall);
  for (const std::string& bad :
       {std::string{}, "N0" + good.substr(2), good.substr(0, 50), good + "x\n"}) {
    auto n = Notifier::restore(bad, test::partner(), 1800, kAfterRestart, kWall);
    ASSERT_FALSE(n) << bad;
    EXPECT_EQ(n.error(), make_error_code(DialogErrc::corrupt_state));
  }
}

TEST(NotifierState, DialogIdWithoutDecodingMatchesTheDialog) {
  Notifier n = accepted_notifier();
  EXPECT_EQ(n.dialog_id(), (DialogId{"s1@fedgate.corp.example", "n77", "3c1d"}));
  EXPECT_EQ(n.dialog().id(), n.dialog_id());
}

}  // namespace
}  // namespace fedgate::sip
