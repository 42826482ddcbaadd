// DbPool: runs blocking libpqxx work on its own asio::thread_pool, never on an I/O thread
// (STYLE.md B4, sketch 5). `co_await pool.run([](pqxx::connection& c) -> T {...})` gives
// result<T>; pqxx exceptions end here as StoreErrc (message logged). Broken connections are
// dropped and re-opened on the next call. Owned by the Node; thread-safe.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <atomic>
#include <exception>
#include <memory>
#include <mutex>
#include <pqxx/connection>
#include <string>
#include <type_traits>
#include <vector>

#include "gateway/base/clock.hpp"
#include "gateway/base/log.hpp"
#include "gateway/base/metrics.hpp"
#include "gateway/base/result.hpp"
#include "gateway/store/store_error.hpp"

namespace fedgate::gateway {

class DbPool {
 public:
  // `size` threads and at most `size` open connections. Connections open lazily.
  DbPool(std::string conninfo, std::size_t size, Logger log, MetricsRegistry& metrics);
  ~DbPool();  // waits for running work, then closes every connection
  DbPool(const DbPool&) = delete;
  DbPool& operator=(const DbPool&) = delete;

  // Runs fn(connection) on a pool thread; resumes the caller on its own executor.
  template <class F>
  auto run(F fn) -> boost::asio::awaitable<result<std::invoke_result_t<F&, pqxx::connection&>>>;

  // The same, blocking the calling thread (start-up code and tests; never an I/O thread).
  template <class F>
  auto run_blocking(F& fn) -> result<std::invoke_result_t<F&, pqxx::connection&>>;

  // False after the last attempt failed to reach the database; true after a success.
  bool healthy() const { return healthy_.load(std::memory_order_relaxed); }
  const std::string& conninfo() const { return conninfo_; }
  // The pool's threads: co_spawn synchronous store calls (the presence/ ports) onto it.
  boost::asio::thread_pool::executor_type executor() { return threads_.get_executor(); }

 private:
  struct Lease {
    std::unique_ptr<pqxx::connection> conn;
    Clock::time_point started;
  };
  result<Lease> acquire();
  void release(Lease lease);
  // Classifies the exception, logs it, drops the connection if it broke.
  boost::system::error_code fail(std::exception_ptr error, Lease lease);

  std::string conninfo_;
  Logger log_;
  Histogram& latency_;
  Counter& errors_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<pqxx::connection>> idle_;
  std::atomic<bool> healthy_{true};
  boost::asio::thread_pool threads_;
};

template <class F>
auto DbPool::run_blocking(F& fn) -> result<std::invoke_result_t<F&, pqxx::connection&>> {
  using T = std::invoke_result_t<F&, pqxx::connection&>;
  auto lease = acquire();
  using R = result<T>;
  if (!lease) {
    return R{boost::system::in_place_error, lease.error()};  // explicit: T may be bool
  }
  try {
    if constexpr (std::is_void_v<T>) {
      fn(*lease->conn);
      release(std::move(*lease));
      return {};
    } else {
      T value = fn(*lease->conn);
      release(std::move(*lease));
      return value;
    }
  } catch (...) {
    return R{boost::system::in_place_error, fail(std::current_exception(), std::move(*lease))};
  }
}

template <class F>
auto DbPool::run(F fn)
    -> boost::asio::awaitable<result<std::invoke_result_t<F&, pqxx::connection&>>> {
  using T = std::invoke_result_t<F&, pqxx::connection&>;
  // GCC 12 destroys temporaries inside a co_await expression twice (a lambda with non-trivial
  // captures crashes there): name the work and the operation, then await in its own statement.
  auto work = [this, fn = std::move(fn)]() mutable -> boost::asio::awaitable<result<T>> {
    co_return run_blocking(fn);
  };
  auto op = boost::asio::co_spawn(threads_, std::move(work), boost::asio::use_awaitable);
  result<T> out = co_await std::move(op);
  co_return out;
}

}  // namespace fedgate::gateway
