// AgentPersist over loopback mutual TLS (the SIP agent harness): the records a usage exports
// while it lives and when it ends, and a node restarted from them — the restored notifier
// NOTIFYs in the old dialog with the next CSeq, the restored subscriber accepts the partner's
// NOTIFY and refreshes on its re-armed timer; expired and unreadable records are skipped.
#include "sip/bridge/agent_persist.hpp"

#include <gtest/gtest.h>

// GCC 12 (-O1, ASan): Asio coroutine frame new/delete false positive (see sip_net).
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

#include "agent_harness.hpp"

namespace fedgate::sip::test {
namespace {

namespace asio = boost::asio;

Body pidf(std::string note) {
  return Body{MediaType::parse("application/pidf+xml").value(),
              "<?xml version=\"1.0\"?><presence xmlns=\"urn:ietf:params:xml:ns:pidf\" "
              "entity=\"sip:bob@b.example\"><tuple id=\"t1\"><status><basic>open</basic>"
              "</status><note>" +
                  note + "</note></tuple></presence>"};
}

// `data` with its '\n'-separated field number `index` replaced.
std::string with_field(const std::string& data, std::size_t index, std::string value) {
  std::size_t begin = 0;
  for (std::size_t i = 0; i < index; ++i) {
    begin = data.find('\n', begin) + 1;
  }
  return data.substr(0, begin) + value + data.substr(data.find('\n', begin));
}

struct RecordingSink final : UsageSink {
  void on_usage(UsageRecord r) override { records.push_back(std::move(r)); }
  // The last record of `kind` (the form a restart would read back).
  std::vector<UsageRecord> last(UsageKind kind) const {
    for (auto it = records.rbegin(); it != records.rend(); ++it) {
      if (it->kind == kind) {
        return {*it};
      }
    }
    return {};
  }
  std::vector<UsageRecord> records;
};

AgentConfig short_subscriptions() {
  AgentConfig c;
  c.subscribe_expires = 4;  // refresh 2 s after the 200 (RFC 6665 §4.1.2.1 lead)
  return c;
}

struct AgentPersistTest : ::testing::Test {
  asio::io_context io;
  Pki pki{{"a.example", "b.example"}};
  std::optional<Node> a{std::in_place, io, pki, "a.example", short_subscriptions()};
  std::optional<Node> b{std::in_place, io, pki, "b.example"};
  RecordingSink a_sink, b_sink;
  presence::Address alice = address("alice@a.example");
  presence::Address bob = address("bob@b.example");
  AgentPersistTest() {
    a->knows(*b);
    b->knows(*a);
    b->events.first_body = pidf("before");
    AgentPersist::set_sink(*a->agent, &a_sink);
    AgentPersist::set_sink(*b->agent, &b_sink);
  }
  // Phase one: alice subscribes to bob and gets the first NOTIFY; `stopped` ends with it.
  bool subscribe(Node& stopped) {
    b->events.first_body = pidf("before");
    return run(io, subscribe_work(), {&stopped});
  }
  asio::awaitable<void> subscribe_work() {
    auto subscribing = a->agent->subscribe(SubscribeRequest(alice, bob));
    auto id = co_await std::move(subscribing);
    EXPECT_TRUE(id.has_value());
    auto waiting = wait_for([this] { return a->events.notifies.size() == 1; });
    co_await std::move(waiting);
  }
};

TEST(UsageKey, KindCallIdAndOurTagNotTheRemoteTag) {
  EXPECT_EQ(usage_key(UsageKind::subscriber, DialogId{"c1@a", "ours", "theirs"}), "s:c1@a:ours");
  EXPECT_EQ(usage_key(UsageKind::notifier, DialogId{"c1@a", "ours", ""}), "n:c1@a:ours");
}

TEST_F(AgentPersistTest, BothSidesExportTheirUsageAndAnEmptyRecordWhenItEnds) {
  ASSERT_TRUE(run(io,
                  [this]() -> asio::awaitable<void> {
                    co_await subscribe_work();
                    auto unsubscribing = a->agent->unsubscribe(a->events.notifies.at(0).dialog);
                    co_await std::move(unsubscribing);
                    auto waiting = wait_for([this] { return !a->events.ended.empty(); });
                    co_await std::move(waiting);
                  }(),
                  {&*a, &*b}));
  auto sub = a_sink.last(UsageKind::subscriber);
  auto note = b_sink.last(UsageKind::notifier);
  ASSERT_EQ(sub.size(), 1u);
  ASSERT_EQ(note.size(), 1u);
  EXPECT_TRUE(sub[0].ended());
  EXPECT_TRUE(note[0].ended());
  const auto& live = a_sink.records.front();
  EXPECT_EQ(live.watcher, alice);
  EXPECT_EQ(live.presentity, bob);
  EXPECT_EQ(live.data.rfind("U1\ns\nbob@b.example\npresence\n", 0), 0u);
  EXPECT_EQ(usage_key(live.kind, live.dialog), usage_key(sub[0].kind, sub[0].dialog));
}

TEST_F(AgentPersistTest, ARestoredNotifierNotifiesInTheOldDialog) {
  ASSERT_TRUE(subscribe(*b));
  const std::uint16_t port = b->port();
  b.reset();  // the killed node: only its last records remain
  Node b2{io, pki, "b.example", {}, port};
  b2.knows(*a);
  RestoreReport report;
  result<Response> sent = make_error_code(DialogErrc::unknown_dialog);
  ASSERT_TRUE(run(io,
                  [&]() -> asio::awaitable<void> {
                    auto restoring =
                        AgentPersist::restore(*b2.agent, b_sink.last(UsageKind::notifier));
                    report = co_await std::move(restoring);
                    auto notifying = b2.agent->notify(report.restored.at(0).dialog,
                                                      SubState::active, pidf("after"));
                    sent = co_await std::move(notifying);
                    co_await until([&] { return a->events.notifies.size() == 2; });
                  }(),
                  {&*a, &b2}));
  EXPECT_EQ(report.notifiers, 1u);
  EXPECT_EQ(report.restored.at(0).watcher, alice);
  ASSERT_TRUE(sent.has_value());
  EXPECT_EQ(sent->status, 200);  // a CSeq at or below the old one would be 500 (§12.2.2)
  ASSERT_EQ(a->events.notifies.size(), 2u);
  EXPECT_EQ(a->events.notifies[1].dialog.call_id, a->events.notifies[0].dialog.call_id);
  EXPECT_NE(a->events.notifies[1].notification.body.bytes.find("after"), std::string::npos);
}

TEST_F(AgentPersistTest, ARestoredSubscriberTakesTheNotifyAndRefreshes) {
  ASSERT_TRUE(subscribe(*a));
  const std::uint16_t port = a->port();
  const DialogId dialog = b->events.subscribes.at(0).dialog;
  a.reset();
  Node a2{io, pki, "a.example", short_subscriptions(), port};
  a2.knows(*b);
  const std::size_t before = b_sink.records.size();
  result<Response> sent = make_error_code(DialogErrc::unknown_dialog);
  ASSERT_TRUE(run(io,
                  [&]() -> asio::awaitable<void> {
                    auto restoring =
                        AgentPersist::restore(*a2.agent, a_sink.last(UsageKind::subscriber));
                    co_await std::move(restoring);
                    auto notifying = b->agent->notify(dialog, SubState::active, pidf("after"));
                    sent = co_await std::move(notifying);
                    // The refresh SUBSCRIBE (timer re-armed) is accepted by b's notifier: a new
                    // record there (the NOTIFY only moved CSeqs: none for it).
                    co_await until([&] { return b_sink.records.size() > before; });
                  }(),
                  {&a2, &*b}));
  ASSERT_TRUE(sent.has_value());
  EXPECT_EQ(sent->status, 200);
  ASSERT_EQ(a2.events.notifies.size(), 1u);
  EXPECT_NE(a2.events.notifies[0].notification.body.bytes.find("after"), std::string::npos);
  EXPECT_GT(b_sink.records.size(), before);  // the refresh's record
  EXPECT_TRUE(a2.events.ended.empty());
}

TEST_F(AgentPersistTest, NotifiesThatOnlyMoveCseqsAreNotExportedAStateChangeIs) {
  ASSERT_TRUE(subscribe(*b));
  const DialogId dialog = b->events.subscribes.at(0).dialog;
  const std::size_t a_before = a_sink.records.size();
  const std::size_t b_before = b_sink.records.size();
  std::size_t b_after_same = 0;
  std::size_t a_after_same = 0;
  ASSERT_TRUE(run(io,
                  [&]() -> asio::awaitable<void> {
                    for (int i = 0; i < 3; ++i) {
                      auto notifying = b->agent->notify(dialog, SubState::active, pidf("same"));
                      EXPECT_EQ((co_await std::move(notifying))->status, 200);
                    }
                    b_after_same = b_sink.records.size();
                    a_after_same = a_sink.records.size();
                    auto pending = b->agent->notify(dialog, SubState::pending, pidf("held"));
                    EXPECT_EQ((co_await std::move(pending))->status, 200);
                  }(),
                  {&*a, &*b}));
  EXPECT_EQ(a->events.notifies.size(), 5u);  // the first, three the same, one pending
  EXPECT_EQ(b_after_same, b_before);         // CSeq-only: nothing for the store
  EXPECT_EQ(a_after_same, a_before);
  EXPECT_EQ(b_sink.records.size(), b_before + 1);  // the state change
  EXPECT_EQ(a_sink.records.size(), a_before + 1);
  EXPECT_NE(b_sink.records.back().data.find("\nN1\np\n"), std::string::npos);
}

TEST_F(AgentPersistTest, ExpiredAndUnreadableRecordsAreNotRestored) {
  ASSERT_TRUE(subscribe(*b));
  auto records = b_sink.last(UsageKind::notifier);
  ASSERT_EQ(records.size(), 1u);
  records.push_back(records[0]);
  records[0].data = with_field(records[0].data, 5, "1000");  // N1 expiry: 1970 (wall ms)
  records[1].data = with_field(records[1].data, 2, "N9");    // an unknown version
  records.push_back(UsageRecord{UsageKind::notifier, {}, {}, {}, "U1\nn\nN1\nbroken\n"});
  Node b2{io, pki, "b.example"};
  RestoreReport report;
  ASSERT_TRUE(run(io,
                  [&]() -> asio::awaitable<void> {
                    auto restoring = AgentPersist::restore(*b2.agent, records);
                    report = co_await std::move(restoring);
                  }(),
                  {&b2}));
  EXPECT_EQ(report.expired, 1u);
  EXPECT_EQ(report.corrupt, 2u);
  EXPECT_EQ(report.notifiers, 0u);
  EXPECT_TRUE(report.restored.empty());
}

}  // namespace
}  // namespace fedgate::sip::test
