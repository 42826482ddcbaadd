// PgOutbox's group commit against a real PostgreSQL: concurrent accepts share one transaction
// and each caller gets its own id only after the commit; a refused row fails only itself;
// an unreachable database fails every caller; delivered marks are batched the same way.
#include <gtest/gtest.h>

#include <boost/asio/post.hpp>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <future>
#include <map>
#include <mutex>
#include <set>

#include "gateway/store/pg_outbox.hpp"
#include "tests/support/pg/test_postgres.hpp"

namespace fedgate::gateway {
namespace {

using presence::Address;
using presence::OutboundMessage;
using presence::PortErrc;
using presence::PortResult;

OutboundMessage message(const std::string& body) {
  OutboundMessage m;
  m.in_id = "in-" + body;
  m.from = Address::parse("alice@corp.example").value();
  m.to = Address::parse("bob@partner.example").value();
  m.content.body = body;
  return m;
}

// Answers from pool threads, waited for with a bound.
template <class T>
class Answers {
 public:
  std::function<void(PortResult<T>)> slot(std::size_t i) {
    return [this, i](PortResult<T> r) {
      std::lock_guard lock{mutex_};
      got_.emplace(i, std::move(r));
      changed_.notify_all();
    };
  }
  bool wait_for(std::size_t n) {
    std::unique_lock lock{mutex_};
    return changed_.wait_for(lock, std::chrono::seconds(20), [&] { return got_.size() >= n; });
  }
  std::size_t count() {
    std::lock_guard lock{mutex_};
    return got_.size();
  }
  const PortResult<T>& at(std::size_t i) { return got_.at(i); }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::map<std::size_t, PortResult<T>> got_;
};

class PgOutboxGroupCommitTest : public test::PgTest {
 protected:
  // Holds the pool's only thread until released: everything submitted meanwhile queues.
  void hold(DbPool& pool) {
    boost::asio::post(pool.executor(), [gate = gate_.get_future().share()] { gate.wait(); });
  }
  MetricsRegistry metrics_;
  std::promise<void> gate_;
};

TEST_F(PgOutboxGroupCommitTest, ConcurrentAcceptsShareOneTransactionAndAnswerAfterIt) {
  DbPool pool{conninfo_, 1, Logger{}, metrics_};
  PgOutbox outbox{pool, "node-a"};
  Answers<std::int64_t> answers;
  hold(pool);
  for (std::size_t i = 0; i < 40; ++i) {
    outbox.accept_async(message("m" + std::to_string(i)), answers.slot(i));
  }
  EXPECT_EQ(answers.count(), 0u);  // nothing answered before the transaction ran
  gate_.set_value();
  ASSERT_TRUE(answers.wait_for(40));
  std::set<std::int64_t> ids;
  for (std::size_t i = 0; i < 40; ++i) {
    ids.insert(answers.at(i).value());
  }
  EXPECT_EQ(ids.size(), 40u);
  // One transaction: one now() for all 40 rows; each id carries its own message.
  EXPECT_EQ(test::query_value(conninfo_, "SELECT count(DISTINCT created_at) FROM outbox"), "1");
  auto seventh = std::to_string(answers.at(7).value());
  EXPECT_EQ(test::query_value(conninfo_, "SELECT body FROM outbox WHERE id = " + seventh), "m7");
  EXPECT_EQ(outbox.load_undelivered().value().size(), 40u);
}

TEST_F(PgOutboxGroupCommitTest, ARefusedRowFailsOnlyItsOwnCaller) {
  DbPool pool{conninfo_, 1, Logger{}, metrics_};
  PgOutbox outbox{pool, "node-a"};
  Answers<std::int64_t> answers;
  auto bad = message("no sender");
  bad.from = Address{};  // violates outbox_sender_not_empty
  hold(pool);
  outbox.accept_async(message("before"), answers.slot(0));
  outbox.accept_async(bad, answers.slot(1));
  outbox.accept_async(message("after"), answers.slot(2));
  gate_.set_value();
  ASSERT_TRUE(answers.wait_for(3));
  EXPECT_TRUE(answers.at(0));
  ASSERT_FALSE(answers.at(1));
  EXPECT_EQ(answers.at(1).error(), PortErrc::conflict);
  EXPECT_TRUE(answers.at(2));
  EXPECT_EQ(test::query_value(conninfo_, "SELECT string_agg(body, ',' ORDER BY id) FROM outbox"),
            "before,after");
}

TEST_F(PgOutboxGroupCommitTest, AnUnreachableDatabaseFailsEveryCaller) {
  DbPool pool{"host=/nonexistent-fedgate-dir port=1 user=x dbname=x", 1, Logger{}, metrics_};
  PgOutbox outbox{pool, "node-a"};
  Answers<std::int64_t> answers;
  for (std::size_t i = 0; i < 5; ++i) {
    outbox.accept_async(message("lost?"), answers.slot(i));
  }
  ASSERT_TRUE(answers.wait_for(5));
  for (std::size_t i = 0; i < 5; ++i) {
    ASSERT_FALSE(answers.at(i));
    EXPECT_EQ(answers.at(i).error(), PortErrc::unavailable);
  }
}

TEST_F(PgOutboxGroupCommitTest, DeliveredMarksAreBatchedAndUnknownIdsAreNotFound) {
  DbPool pool{conninfo_, 1, Logger{}, metrics_};
  PgOutbox outbox{pool, "node-a"};
  auto a = outbox.accept(message("a")).value();
  auto b = outbox.accept(message("b")).value();
  auto c = outbox.accept(message("c")).value();
  Answers<presence::Done> answers;
  hold(pool);
  outbox.mark_delivered_async(a, answers.slot(0));
  outbox.mark_delivered_async(c, answers.slot(1));
  outbox.mark_delivered_async(c + 1000, answers.slot(2));
  gate_.set_value();
  ASSERT_TRUE(answers.wait_for(3));
  EXPECT_TRUE(answers.at(0));
  EXPECT_TRUE(answers.at(1));
  ASSERT_FALSE(answers.at(2));
  EXPECT_EQ(answers.at(2).error(), PortErrc::not_found);
  auto left = outbox.load_undelivered().value();
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].outbox_id, b);
}

}  // namespace
}  // namespace fedgate::gateway
