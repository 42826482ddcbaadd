// Switchboard with a group-committing outbox (Outbox::accept_async answering later): the
// sender hears "accepted" and the message goes out only after its commit; a failed commit
// refuses it; concurrent messages wait for their commits together, not one after another; a
// batch of stanzas from one read completes (is acknowledged) only after every commit in it.
// The same for on_message_now (no coroutine), which also finishes only once decided.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "switchboard_harness.hpp"

namespace fedgate::gateway::test {
namespace {

// Holds every accept until the test commits or fails it (the group commit in flight).
struct DeferredOutbox final : presence::Outbox {
  presence::PortResult<std::int64_t> accept(const presence::OutboundMessage& m) override {
    return inner.accept(m);
  }
  presence::PortResult<presence::Done> mark_delivered(std::int64_t id) override {
    return inner.mark_delivered(id);
  }
  presence::PortResult<presence::Done> mark_bounced(std::int64_t id,
                                                    const presence::StanzaError& e) override {
    return inner.mark_bounced(id, e);
  }
  presence::PortResult<std::vector<presence::OutboundMessage>> load_undelivered() override {
    return inner.load_undelivered();
  }
  void accept_async(const presence::OutboundMessage& m, AcceptDone done) override {
    pending.emplace_back(m, std::move(done));
  }
  void finish_all(bool commit) {
    for (auto& [m, done] : std::exchange(pending, {})) {
      done(commit ? inner.accept(m)
                  : presence::PortResult<std::int64_t>{presence::PortErrc::unavailable});
    }
  }
  presence::InMemoryOutbox inner;
  std::vector<std::pair<presence::OutboundMessage, AcceptDone>> pending;
};

struct CommitBench {
  CommitBench() {
    SwitchboardDeps deps{io.get_executor(),
                         io.get_executor(),
                         outbox,
                         subscriptions,
                         cache,
                         xmpp,
                         tasks,
                         metrics,
                         Logger{},
                         [this] { return rows; },
                         {}};
    switchboard = std::make_unique<Switchboard>(std::move(deps));
  }
  // A SIP user's message to `to`; its reply recorded in `heard`.
  std::pair<presence::InboundMessage, MessageReply> incoming(const std::string& body,
                                                             const std::string& to) {
    presence::InboundMessage in{"call-" + body,
                                presence::Address::parse("sam@lync.test").value(),
                                presence::Address::parse(to).value(),
                                {}};
    in.content.body = body;
    MessageReply reply;
    reply.accepted = [this, body] { heard.push_back("accepted " + body); };
    reply.refused = [this, body](const presence::StanzaError&) {
      heard.push_back("refused " + body);
    };
    return {std::move(in), std::move(reply)};
  }
  void message_in(const std::string& body) {
    auto [in, reply] = incoming(body, "alice@home.test");
    boost::asio::co_spawn(io, switchboard->on_message(std::move(in), std::move(reply)),
                          boost::asio::detached);
  }
  // The same through on_message_now: `heard` also records when it finished.
  void message_in_now(const std::string& body, const std::string& to = "alice@home.test") {
    auto [in, reply] = incoming(body, to);
    switchboard->on_message_now(std::move(in), std::move(reply),
                                [this, body] { heard.push_back("finished " + body); });
  }
  void settle() {
    io.restart();
    for (int i = 0; i < 1000 && io.poll() > 0; ++i) {
    }
  }

  boost::asio::io_context io;
  TaskGroup tasks{io.get_executor()};
  MetricsRegistry metrics;
  DeferredOutbox outbox;
  presence::InMemorySubscriptionStore subscriptions;
  presence::InMemoryPresenceCacheStore cache;
  RecordingXmpp xmpp;
  std::shared_ptr<const presence::PolicyRows> rows =
      std::make_shared<const presence::PolicyRows>(default_rows());
  std::unique_ptr<Switchboard> switchboard;
  std::vector<std::string> heard;
};

TEST(SwitchboardCommit, NothingIsAcknowledgedOrSentBeforeTheCommit) {
  CommitBench b;
  b.message_in("one");
  b.settle();
  ASSERT_EQ(b.outbox.pending.size(), 1u);
  EXPECT_TRUE(b.heard.empty());
  EXPECT_TRUE(b.xmpp.sent.empty());
  b.outbox.finish_all(true);
  b.settle();
  EXPECT_EQ(b.heard, (std::vector<std::string>{"accepted one"}));
  ASSERT_EQ(b.xmpp.sent.size(), 1u);
  EXPECT_EQ(b.xmpp.sent[0].stanza.attr("id"), "fg-1");
}

TEST(SwitchboardCommit, AFailedCommitRefusesEveryMessageOfTheBatchAndSendsNothing) {
  CommitBench b;
  b.message_in("one");
  b.message_in("two");
  b.settle();
  ASSERT_EQ(b.outbox.pending.size(), 2u);
  b.outbox.finish_all(false);
  b.settle();
  EXPECT_EQ(b.heard, (std::vector<std::string>{"refused one", "refused two"}));
  EXPECT_TRUE(b.xmpp.sent.empty());
  EXPECT_TRUE(b.outbox.inner.load_undelivered().value().empty());
}

TEST(SwitchboardCommit, ConcurrentMessagesWaitForTheirCommitsTogether) {
  CommitBench b;
  for (const char* body : {"a", "b", "c"}) {
    b.message_in(body);
  }
  b.settle();
  EXPECT_EQ(b.outbox.pending.size(), 3u);  // all three in one group commit, none waits for another
  b.outbox.finish_all(true);
  b.settle();
  EXPECT_EQ(b.heard.size(), 3u);
  EXPECT_EQ(b.xmpp.sent.size(), 3u);
}

TEST(SwitchboardCommit, WithoutACoroutineTheSenderHearsAndTheMessageGoesOnlyAfterTheCommit) {
  CommitBench b;
  b.message_in_now("one");
  b.settle();
  ASSERT_EQ(b.outbox.pending.size(), 1u);
  EXPECT_TRUE(b.heard.empty());
  b.outbox.finish_all(true);
  b.settle();
  EXPECT_EQ(b.heard, (std::vector<std::string>{"accepted one", "finished one"}));
  ASSERT_EQ(b.xmpp.sent.size(), 1u);
  EXPECT_EQ(b.xmpp.sent[0].stanza.attr("id"), "fg-1");
}

TEST(SwitchboardCommit, WithoutACoroutineAFailedCommitRefusesAndSendsNothing) {
  CommitBench b;
  b.message_in_now("one");
  b.settle();
  b.outbox.finish_all(false);
  b.settle();
  EXPECT_EQ(b.heard, (std::vector<std::string>{"refused one", "finished one"}));
  EXPECT_TRUE(b.xmpp.sent.empty());
}

TEST(SwitchboardCommit, WithoutACoroutineAMessageToAnotherSipDomainIsRefusedUnstored) {
  CommitBench b;
  b.message_in_now("one", "joe@lync.test");  // SIP to SIP: not bridged
  b.settle();
  EXPECT_TRUE(b.outbox.pending.empty());
  EXPECT_EQ(b.heard, (std::vector<std::string>{"refused one", "finished one"}));
}

TEST(SwitchboardCommit, WithoutACoroutineHeldInputWaitsForTheRestore) {
  CommitBench b;
  b.switchboard->hold_until_restored();
  b.message_in_now("one");
  b.settle();
  EXPECT_TRUE(b.outbox.pending.empty());
  boost::asio::co_spawn(b.io, b.switchboard->restore(), boost::asio::detached);
  b.settle();
  EXPECT_TRUE(b.switchboard->restored());
  ASSERT_EQ(b.outbox.pending.size(), 1u);
  b.outbox.finish_all(true);
  b.settle();
  EXPECT_EQ(b.heard, (std::vector<std::string>{"accepted one", "finished one"}));
}

// The home's chat to a SIP user, as the XMPP side hands it over.// The home's chat to a SIP user,
// as the XMPP side hands it over.
xmpp::Element chat_from_home(int i) {
  return parse_stanza("<message from='alice@home.test/r' to='sam@lync.test' id='h" +
                      std::to_string(i) + "' type='chat'><body>b" + std::to_string(i) +
                      "</body></message>");
}

TEST(SwitchboardCommit, ABatchOfStanzasCompletesOnlyAfterAllItsCommitsTogether) {
  CommitBench b;
  std::vector<xmpp::Element> batch;
  for (int i = 0; i < 3; ++i) {
    batch.push_back(chat_from_home(i));
  }
  std::optional<std::size_t> taken;
  boost::asio::co_spawn(b.io, b.switchboard->on_stanzas(std::move(batch)),
                        [&taken](std::exception_ptr, std::size_t n) { taken = n; });
  b.settle();
  EXPECT_EQ(b.outbox.pending.size(), 3u);  // one group commit for the whole read
  EXPECT_FALSE(taken.has_value());         // no acknowledgement before the commit
  b.outbox.finish_all(true);
  b.settle();
  ASSERT_TRUE(taken.has_value());
  EXPECT_EQ(*taken, 3u);
}

TEST(SwitchboardCommit, AnIqInABatchIsAnsweredAtOnceWhileAMessageWaitsForItsCommit) {
  CommitBench b;
  std::vector<xmpp::Element> batch;
  batch.push_back(chat_from_home(0));
  batch.push_back(
      parse_stanza("<iq from='alice@home.test/r' to='sam@lync.test' id='q1' "
                   "type='get'><query xmlns='jabber:iq:version'/></iq>"));
  std::optional<std::size_t> taken;
  boost::asio::co_spawn(b.io, b.switchboard->on_stanzas(std::move(batch)),
                        [&taken](std::exception_ptr, std::size_t n) { taken = n; });
  b.settle();
  ASSERT_EQ(b.xmpp.sent.size(), 1u);  // the iq's error answer (not relayed to SIP)
  EXPECT_EQ(b.xmpp.sent[0].stanza.attr("id"), "q1");
  EXPECT_FALSE(taken.has_value());
  b.outbox.finish_all(true);
  b.settle();
  EXPECT_EQ(taken, std::optional<std::size_t>(2));
}

}  // namespace
}  // namespace fedgate::gateway::test
