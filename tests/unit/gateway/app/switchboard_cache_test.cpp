// Switchboard, presence cache write-behind: a presence update is relayed without waiting for
// the store; repeated updates of one entity become one write; a failing store keeps them and
// retries; a full batch is written before the interval; a graceful stop writes what is left.
#include <gtest/gtest.h>

#include "gateway/app/write_behind.hpp"
#include "switchboard_harness.hpp"

namespace fedgate::gateway::test {
namespace {

SwitchboardConfig slow_flush() {
  SwitchboardConfig c;
  c.presence_flush = std::chrono::seconds(30);  // only a full batch or the stop writes
  return c;
}

// bob@partner.test watches `user`@home.test (approved).
void watched(Bench& b, const std::string& user) {
  const std::string jid = user + "@home.test";
  b.stanza_in("<presence from='bob@partner.test/r' to='" + jid + "' type='subscribe'/>");
  b.stanza_in("<presence from='" + jid + "' to='bob@partner.test' type='subscribed'/>");
}

void status(Bench& b, const std::string& user, const std::string& text) {
  b.stanza_in("<presence from='" + user + "@home.test/desk' to='bob@partner.test'><status>" +
              text + "</status></presence>");
}

std::string cached_status(Bench& b, const std::string& user) {
  auto p = b.cache.get(presence::Address::parse(user + "@home.test").value());
  return p && p->has_value() ? (*p)->status_text : "(none)";
}

bool stop(Bench& b) {
  b.tasks.cancel();
  return b.run_until([&b] { return b.tasks.size() == 0; });
}

TEST(SwitchboardCache, PresenceIsRelayedBeforeTheStoreIsAsked) {
  Bench b(default_rows(), slow_flush());
  watched(b, "alice");
  status(b, "alice", "busy");
  EXPECT_EQ(wire(b.last()),
            "<presence from='alice@home.test' to='bob@partner.test'><status>busy</status>"
            "</presence>");
  EXPECT_EQ(b.flaky.puts, 0);
  EXPECT_EQ(b.switchboard->presence_unwritten(), 1u);
}

TEST(SwitchboardCache, RepeatedUpdatesOfOneEntityBecomeOneWriteAtStop) {
  Bench b(default_rows(), slow_flush());
  watched(b, "alice");
  status(b, "alice", "one");
  status(b, "alice", "two");
  status(b, "alice", "three");
  EXPECT_EQ(b.flaky.puts, 0);
  ASSERT_TRUE(stop(b));
  EXPECT_EQ(b.flaky.puts, 1);
  EXPECT_EQ(cached_status(b, "alice"), "three");
  EXPECT_EQ(b.metric("fedgate_switchboard_presence_writes_total", {}), 1.0);
  EXPECT_EQ(b.metric("fedgate_switchboard_presence_rows_total", {}), 1.0);
}

TEST(SwitchboardCache, FailingStoreKeepsTheDocumentAndRetries) {
  Bench b;  // 100 ms interval
  watched(b, "alice");
  b.flaky.failing = true;
  status(b, "alice", "away");
  // Failed, then retried, and kept for the next round (a batch in flight is not "unwritten").
  auto kept = [&b] { return b.flaky.puts >= 2 && b.switchboard->presence_unwritten() == 1u; };
  ASSERT_TRUE(b.run_until(kept));
  EXPECT_GE(b.metric("fedgate_switchboard_store_errors_total", {{"op", "presence_put"}}), 2.0);
  EXPECT_EQ(cached_status(b, "alice"), "(none)");
  b.flaky.failing = false;
  EXPECT_TRUE(b.run_until([&b] { return cached_status(b, "alice") == "away"; }));
}

TEST(SwitchboardCache, NewerDocumentWinsOverARetriedOne) {
  Bench b;
  watched(b, "alice");
  b.flaky.failing = true;
  status(b, "alice", "old");
  ASSERT_TRUE(b.run_until([&b] { return b.flaky.puts >= 1; }));
  status(b, "alice", "new");
  b.flaky.failing = false;
  ASSERT_TRUE(b.run_until([&b] { return cached_status(b, "alice") != "(none)"; }));
  EXPECT_EQ(cached_status(b, "alice"), "new");
}

TEST(SwitchboardCache, FullBatchIsWrittenBeforeTheInterval) {
  auto config = slow_flush();
  config.presence_flush_batch = 2;
  Bench b(default_rows(), config);
  watched(b, "alice");
  watched(b, "carol");
  status(b, "alice", "a");
  EXPECT_EQ(b.flaky.puts, 0);
  status(b, "carol", "c");
  ASSERT_TRUE(b.run_until([&b] { return b.flaky.puts == 2; }));  // long before the 30 s
  EXPECT_EQ(cached_status(b, "alice"), "a");
  EXPECT_EQ(cached_status(b, "carol"), "c");
}

TEST(WriteBehind, KeepsTheLatestValueAndGivesBackWithoutOverwriting) {
  WriteBehind<std::string, int> w;
  w.note("a", 1);
  w.note("a", 2);
  w.note("b", 1);
  auto batch = w.take();
  ASSERT_EQ(batch.size(), 2u);
  EXPECT_EQ(batch[0], (std::pair<std::string, int>{"a", 2}));
  EXPECT_TRUE(w.empty());
  w.note("a", 3);
  w.give_back(std::move(batch));
  auto again = w.take();
  ASSERT_EQ(again.size(), 2u);
  EXPECT_EQ(again[0].second, 3);  // newer than the failed batch's 2
  EXPECT_EQ(again[1].second, 1);
}

TEST(RetryDelay, DoublesUpToTheCapAndResets) {
  RetryDelay d(std::chrono::milliseconds(100), std::chrono::milliseconds(300));
  d.failed();
  EXPECT_EQ(d.next(), std::chrono::milliseconds(200));
  d.failed();
  EXPECT_EQ(d.next(), std::chrono::milliseconds(300));
  d.succeeded();
  EXPECT_EQ(d.next(), std::chrono::milliseconds(100));
}

}  // namespace
}  // namespace fedgate::gateway::test
