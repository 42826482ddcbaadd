// UsageMark's export rule (sip/bridge/usage_mark.hpp): a usage is exported when new, when its
// durable revision moved, or when its local CSeq moved more than kCseqWriteStep; and across a
// simulated kill -9 the record last exported restores a notifier whose next NOTIFY is numbered
// above every NOTIFY sent before (RFC 3261 §12.2.1.1).
#include "sip/bridge/usage_mark.hpp"

#include <gtest/gtest.h>

#include "sip/dialog/notifier.hpp"
#include "transcript.hpp"

namespace fedgate::sip {
namespace {

using Wall = std::chrono::system_clock::time_point;

TEST(UsageMark, NewRevisedOrFarMovedUsagesAreExported) {
  UsageMark m;
  EXPECT_TRUE(m.needs_export(0, 1));  // never exported
  m.exported(0, 1);
  EXPECT_FALSE(m.needs_export(0, 1));
  EXPECT_FALSE(m.needs_export(0, 1 + kCseqWriteStep));  // CSeq only, within the step
  EXPECT_TRUE(m.needs_export(0, 2 + kCseqWriteStep));
  EXPECT_TRUE(m.needs_export(1, 2));  // something durable changed
  EXPECT_LT(kCseqWriteStep, kRestartCseqGap);
}

TEST(UsageMark, RestoredNotifierNumbersAboveEverythingSentSinceTheStoredRecord) {
  const Request sub = test::request("sub_subscribe.sip", {"z9hG4bKsub1"});
  auto n = Notifier::create(sub, "n77", test::partner(), 1800, TimePoint{}).value();
  n.accept(sub, SubState::active, std::nullopt);
  const Wall wall = Wall{} + std::chrono::hours(1);
  UsageMark mark;
  std::string stored;  // what the store holds: the last exported record
  std::uint32_t highest_sent = 0;
  BranchGenerator gen{1};
  for (std::uint32_t i = 0; i < 3 * kCseqWriteStep; ++i) {
    highest_sent = n.notify(SubState::active, std::nullopt, gen, TimePoint{}).cseq.sequence;
    if (mark.needs_export(n.durable_revision(), n.local_cseq())) {
      mark.exported(n.durable_revision(), n.local_cseq());
      stored = n.serialize(TimePoint{}, wall);
    }
  }
  EXPECT_GT(highest_sent, kCseqWriteStep * 2);
  auto restored = Notifier::restore(stored, test::partner(), 1800, TimePoint{}, wall);
  ASSERT_TRUE(restored);
  const Request next = restored->notify(SubState::active, std::nullopt, gen, TimePoint{});
  EXPECT_GT(next.cseq.sequence, highest_sent);
}

}  // namespace
}  // namespace fedgate::sip
