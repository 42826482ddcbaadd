// PolicyWatcher against a real PostgreSQL: live reload on two watchers, burst coalescing,
// surviving a database restart, cancellation.
#include "gateway/store/policy_watcher.hpp"

#include <gtest/gtest.h>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_future.hpp>
#include <functional>
#include <future>
#include <mutex>
#include <thread>

#include "tests/support/pg/test_postgres.hpp"

namespace fedgate::gateway {
namespace {

namespace asio = boost::asio;
using presence::PolicyRows;

// Polls `done` every 10 ms for at most `limit`.
bool eventually(const std::function<bool()>& done, Duration limit = seconds(15)) {
  for (auto end = Clock::now() + limit; Clock::now() < end;) {
    if (done()) {
      return true;
    }
    std::this_thread::sleep_for(milliseconds(10));
  }
  return done();
}

// One watcher running on its own io_context thread; stop() cancels run() and waits for it.
class RunningWatcher {
 public:
  explicit RunningWatcher(const std::string& conninfo, Duration coalesce = milliseconds(20))
      : watcher_(io_.get_executor(), conninfo, [this](auto rows) { store(rows); }, Logger{},
                 metrics_) {
    watcher_.set_backoff(milliseconds(50), milliseconds(400));
    watcher_.set_coalesce_window(coalesce);
    finished_ = asio::co_spawn(io_, watcher_.run(),
                               asio::bind_cancellation_slot(stop_.slot(), asio::use_future));
    thread_ = std::thread{[this] { io_.run(); }};
  }
  ~RunningWatcher() { stop(); }

  bool stop() {
    if (!thread_.joinable()) {
      return true;
    }
    asio::post(io_, [this] { stop_.emit(asio::cancellation_type::terminal); });
    bool ended = finished_.wait_for(std::chrono::seconds(10)) == std::future_status::ready;
    io_.stop();
    thread_.join();
    return ended;
  }
  std::shared_ptr<const PolicyRows> latest() {
    std::lock_guard lock{mutex_};
    return latest_;
  }
  PolicyWatcher& watcher() { return watcher_; }
  MetricsRegistry& metrics() { return metrics_; }

 private:
  void store(std::shared_ptr<const PolicyRows> rows) {
    std::lock_guard lock{mutex_};
    latest_ = std::move(rows);
  }
  asio::io_context io_;
  MetricsRegistry metrics_;
  PolicyWatcher watcher_;
  asio::cancellation_signal stop_;
  std::future<void> finished_;
  std::thread thread_;
  std::mutex mutex_;
  std::shared_ptr<const PolicyRows> latest_;
};

std::int64_t db_version(const std::string& conninfo) {
  return std::stoll(test::query_value(conninfo, "SELECT version FROM policy_version"));
}

bool has_local_domain(const std::shared_ptr<const PolicyRows>& rows, const std::string& d) {
  return rows && std::any_of(rows->local_domains.begin(), rows->local_domains.end(),
                             [&](const auto& r) { return r.domain == d; });
}

class PolicyWatcherTest : public test::PgTest {};

TEST_F(PolicyWatcherTest, PublishesTheCurrentPolicyOnStart) {
  RunningWatcher w{conninfo_};
  ASSERT_TRUE(eventually([&] { return w.latest() != nullptr; }));
  EXPECT_EQ(w.latest()->version, db_version(conninfo_));
  EXPECT_EQ(w.watcher().version(), db_version(conninfo_));
  EXPECT_TRUE(w.watcher().connected());
  EXPECT_EQ(w.metrics().value("fedgate_store_connected"), 1);
  EXPECT_EQ(w.metrics().value("fedgate_store_policy_version"), db_version(conninfo_));
}

TEST_F(PolicyWatcherTest, TwoWatchersBothSeeACommittedChange) {
  RunningWatcher a{conninfo_};
  RunningWatcher b{conninfo_};
  ASSERT_TRUE(eventually([&] { return a.watcher().connected() && b.watcher().connected(); }));
  ASSERT_TRUE(eventually([&] { return a.latest() && b.latest(); }));
  test::exec_sql(conninfo_, "INSERT INTO local_domains (domain) VALUES ('corp.example')");
  auto version = db_version(conninfo_);
  EXPECT_TRUE(eventually([&] { return has_local_domain(a.latest(), "corp.example"); }));
  EXPECT_TRUE(eventually([&] { return has_local_domain(b.latest(), "corp.example"); }));
  EXPECT_EQ(a.watcher().version(), version);
  EXPECT_EQ(b.watcher().version(), version);
}

TEST_F(PolicyWatcherTest, ABurstOfCommitsIsLoadedFewerTimesThanItHasCommits) {
  RunningWatcher w{conninfo_, milliseconds(300)};
  ASSERT_TRUE(eventually([&] { return w.latest() != nullptr; }));
  auto before = w.metrics().value("fedgate_store_policy_reloads_total");
  constexpr int kCommits = 20;
  for (int i = 0; i < kCommits; ++i) {
    test::exec_sql(conninfo_, "INSERT INTO tls_peer_subjects (subject) VALUES ('s" +
                                  std::to_string(i) + ".example')");
  }
  auto version = db_version(conninfo_);
  ASSERT_TRUE(eventually([&] { return w.watcher().version() == version; }));
  EXPECT_EQ(w.latest()->tls_peer_subjects.size(), static_cast<std::size_t>(kCommits));
  EXPECT_LT(w.metrics().value("fedgate_store_policy_reloads_total") - before, kCommits);
}

TEST(PolicyWatcherRestart, SurvivesADatabaseRestartAndSeesTheNextChange) {
  auto& pg = test::TestPostgres::isolated();  // this test stops its server
  auto conninfo_ = pg.create_database();
  RunningWatcher w{conninfo_};
  ASSERT_TRUE(eventually([&] { return w.latest() != nullptr; }));
  ASSERT_TRUE(pg.stop());
  EXPECT_TRUE(eventually([&] { return !w.watcher().connected(); }));
  EXPECT_EQ(w.metrics().value("fedgate_store_connected"), 0);
  ASSERT_TRUE(pg.start());
  ASSERT_TRUE(eventually([&] { return w.watcher().connected(); }));
  test::exec_sql(conninfo_, "INSERT INTO local_domains (domain) VALUES ('after.example')");
  EXPECT_TRUE(eventually([&] { return has_local_domain(w.latest(), "after.example"); }));
}

TEST_F(PolicyWatcherTest, KeepsRetryingAnUnreachableDatabaseUntilCancelled) {
  RunningWatcher w{"host=/nonexistent-fedgate-dir port=1 user=x dbname=x"};
  std::this_thread::sleep_for(milliseconds(300));
  EXPECT_FALSE(w.watcher().connected());
  EXPECT_EQ(w.latest(), nullptr);
  EXPECT_TRUE(w.stop());  // run() returns promptly when cancelled, even mid-backoff
}

TEST_F(PolicyWatcherTest, ReturnsWhenCancelledWhileConnected) {
  RunningWatcher w{conninfo_};
  ASSERT_TRUE(eventually([&] { return w.watcher().connected(); }));
  EXPECT_TRUE(w.stop());
}

}  // namespace
}  // namespace fedgate::gateway
