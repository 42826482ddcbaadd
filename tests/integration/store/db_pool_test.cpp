// DbPool: blocking libpqxx work off the I/O thread, errors as StoreErrc, reconnection.
#include "gateway/store/db_pool.hpp"

#include <gtest/gtest.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <pqxx/pqxx>
#include <thread>

#include "tests/support/pg/test_postgres.hpp"

namespace fedgate::gateway {
namespace {

namespace asio = boost::asio;

template <class T>
T run_on(asio::io_context& io, asio::awaitable<T> work) {
  auto done = asio::co_spawn(io, std::move(work), asio::use_future);
  io.restart();
  io.run_for(std::chrono::seconds(30));
  return done.get();
}

class DbPoolTest : public test::PgTest {
 protected:
  asio::io_context io_;
  MetricsRegistry metrics_;
};

TEST_F(DbPoolTest, RunsWorkOnAPoolThreadAndResumesTheCaller) {
  DbPool pool{conninfo_, 2, Logger{}, metrics_};
  auto io_thread = std::this_thread::get_id();
  auto [value, worker, resumed] = run_on(io_, [&]() -> asio::awaitable<std::tuple<int, std::thread::id, std::thread::id>> {
    auto r = co_await pool.run([](pqxx::connection& c) {
      pqxx::nontransaction tx{c};
      return std::pair{tx.exec("SELECT 41 + 1")[0][0].as<int>(), std::this_thread::get_id()};
    });
    co_return std::tuple{r.value().first, r.value().second, std::this_thread::get_id()};
  }());
  EXPECT_EQ(value, 42);
  EXPECT_NE(worker, io_thread);
  EXPECT_EQ(resumed, io_thread);
  EXPECT_EQ(metrics_.histogram("fedgate_store_db_latency_seconds", "", {{"op", "pool"}}).count(), 1u);
}

TEST_F(DbPoolTest, ARefusedRowIsAConstraintViolation) {
  DbPool pool{conninfo_, 1, Logger{}, metrics_};
  auto r = run_on(io_, pool.run([](pqxx::connection& c) {
    pqxx::work tx{c};
    tx.exec("INSERT INTO local_domains (domain) VALUES ('Bad Domain')");
    tx.commit();
  }));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), StoreErrc::constraint_violation);
  EXPECT_TRUE(pool.healthy());
}

TEST_F(DbPoolTest, AnUnreachableDatabaseIsUnavailableThenRecovers) {
  auto& pg = test::TestPostgres::isolated();  // this test stops its server
  DbPool pool{pg.create_database(), 1, Logger{}, metrics_};
  auto count = [](pqxx::connection& c) {
    pqxx::nontransaction tx{c};
    return tx.exec("SELECT count(*) FROM settings")[0][0].as<int>();
  };
  ASSERT_EQ(run_on(io_, pool.run(count)).value(), 8);
  ASSERT_TRUE(pg.stop());
  auto down = run_on(io_, pool.run(count));
  ASSERT_FALSE(down);
  EXPECT_EQ(down.error(), StoreErrc::unavailable);
  EXPECT_FALSE(pool.healthy());
  ASSERT_TRUE(pg.start());
  EXPECT_EQ(run_on(io_, pool.run(count)).value(), 8);  // the broken connection was replaced
  EXPECT_TRUE(pool.healthy());
}

TEST_F(DbPoolTest, ACallerGivingUpDoesNotDisturbTheRunningQuery) {
  using namespace asio::experimental::awaitable_operators;
  DbPool pool{conninfo_, 1, Logger{}, metrics_};
  auto slow = [](pqxx::connection& c) {
    pqxx::nontransaction tx{c};
    return tx.exec("SELECT pg_sleep(0.3), 1")[0][1].as<int>();
  };
  auto raced = run_on(io_, [&]() -> asio::awaitable<std::size_t> {
    asio::steady_timer timeout{co_await asio::this_coro::executor, std::chrono::milliseconds(20)};
    auto first = co_await (pool.run(slow) || timeout.async_wait(asio::as_tuple(asio::use_awaitable)));
    co_return first.index();
  }());
  EXPECT_EQ(raced, 1u);  // the timeout won; the query finished on its pool thread
  EXPECT_EQ(run_on(io_, pool.run(slow)).value(), 1);
  EXPECT_TRUE(pool.healthy());
}

}  // namespace
}  // namespace fedgate::gateway
