// What a usage reports as durable (durable_revision: what a restart needs) and what it does not
// (CSeqs), and the hot working form: the dialog stays decoded after an event and compact()
// encodes it with the changes the events made.
#include <gtest/gtest.h>

#include "sip/dialog/notifier.hpp"
#include "sip/dialog/subscriber.hpp"
#include "transcript.hpp"

namespace fedgate::sip {
namespace {

using test::branches;
using Wall = std::chrono::system_clock::time_point;

const std::vector<std::string> kNotifyBranch = {"z9hG4bKn1"};

Request notify_numbered(std::uint32_t cseq) {
  Request n = test::request("sub_notify.sip", kNotifyBranch);
  n.cseq.sequence = cseq;
  return n;
}

Notifier accepted_notifier() {
  const Request sub = test::request("sub_subscribe.sip", {"z9hG4bKsub1"});
  auto n = Notifier::create(sub, "n77", test::partner(), 1800, TimePoint{}).value();
  n.accept(sub, SubState::active, std::nullopt);
  return n;
}

TEST(UsageRevision, SubscriberNotifyThatOnlyMovesTheCseqIsNotDurable) {
  BranchGenerator gen{test::kSeed};
  Subscriber s = test::subscribed_to_bob(gen);
  s.on_notify(notify_numbered(2), TimePoint{} + seconds(100));  // shortens: durable
  const std::uint64_t before = s.durable_revision();
  auto a = s.on_notify(notify_numbered(3), TimePoint{} + seconds(100));
  ASSERT_TRUE(a.respond);
  EXPECT_EQ(a.respond->status, 200);
  EXPECT_EQ(s.durable_revision(), before);
  EXPECT_EQ(s.dialog().remote_cseq(), 3u);
}

TEST(UsageRevision, SubscriberNotifyWithANewTargetOrStateIsDurable) {
  BranchGenerator gen{test::kSeed};
  Subscriber s = test::subscribed_to_bob(gen);
  s.on_notify(notify_numbered(2), TimePoint{} + seconds(100));
  const std::uint64_t before = s.durable_revision();
  Request moved = notify_numbered(3);
  moved.contact.front().uri.host = "192.0.2.11";  // a target refresh (RFC 3261 §12.2.2)
  s.on_notify(moved, TimePoint{} + seconds(100));
  EXPECT_EQ(s.durable_revision(), before + 1);
  EXPECT_EQ(s.dialog().remote_target().host, "192.0.2.11");
  Request pending = notify_numbered(4);
  pending.contact = moved.contact;
  pending.subscription_state->state = "pending";
  s.on_notify(pending, TimePoint{} + seconds(100));
  EXPECT_EQ(s.durable_revision(), before + 2);
}

TEST(UsageRevision, NotifierNotifyInTheSameStateIsNotDurableARefreshIs) {
  BranchGenerator gen{1};
  Notifier n = accepted_notifier();
  const std::uint64_t before = n.durable_revision();
  n.notify(SubState::active, std::nullopt, gen, TimePoint{} + seconds(1));
  n.notify(SubState::active, std::nullopt, gen, TimePoint{} + seconds(2));
  EXPECT_EQ(n.durable_revision(), before);
  n.notify(SubState::pending, std::nullopt, gen, TimePoint{} + seconds(3));
  EXPECT_EQ(n.durable_revision(), before + 1);
  Request refresh = test::request("sub_refresh.sip", {"z9hG4bKref0", "z9hG4bKref1"});
  ASSERT_TRUE(n.on_subscribe(refresh, gen, TimePoint{} + seconds(60)));
  EXPECT_EQ(n.durable_revision(), before + 2);  // the expiry moved
}

TEST(UsageRevision, CompactKeepsWhatTheHotEventsChanged) {
  BranchGenerator gen{1};
  Notifier n = accepted_notifier();
  const std::uint32_t first =
      n.notify(SubState::active, std::nullopt, gen, TimePoint{}).cseq.sequence;
  n.compact();
  Notifier copy{n};
  const std::uint32_t second =
      copy.notify(SubState::active, std::nullopt, gen, TimePoint{}).cseq.sequence;
  copy.compact();
  EXPECT_EQ(second, first + 1);
  EXPECT_EQ(copy.local_cseq(), first + 1);
  const Wall wall = Wall{} + std::chrono::hours(1);
  auto restored = Notifier::restore(copy.serialize(TimePoint{}, wall), test::partner(), 1800,
                                    TimePoint{}, wall);
  ASSERT_TRUE(restored);
  EXPECT_EQ(restored->local_cseq(), first + 1 + kRestartCseqGap);
}

}  // namespace
}  // namespace fedgate::sip
