// PolicyWatcher: keeps a node's policy live. LISTENs on `fedgate_policy`, loads PolicyRows,
// publishes them, and reloads on every NOTIFY (bursts coalesced); survives database restarts
// by reconnecting with capped exponential backoff. run() lives on the given executor;
// blocking libpqxx calls run on the watcher's own worker thread. Issue 2 "Live policy".
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "gateway/base/clock.hpp"
#include "gateway/base/log.hpp"
#include "gateway/base/metrics.hpp"
#include "presence/policy_rows.hpp"

namespace fedgate::gateway {

class PolicyWatcher {
 public:
  using OnChange = std::function<void(std::shared_ptr<const presence::PolicyRows>)>;

  PolicyWatcher(boost::asio::any_io_executor ex, std::string conninfo, OnChange on_change,
                Logger log, MetricsRegistry& metrics);
  ~PolicyWatcher();
  PolicyWatcher(const PolicyWatcher&) = delete;
  PolicyWatcher& operator=(const PolicyWatcher&) = delete;

  // Runs until cancelled (per-operation cancellation, e.g. `||` or a cancellation slot).
  // on_change is called on `ex` with each new version (and the first load).
  boost::asio::awaitable<void> run();

  bool connected() const { return connected_.load(std::memory_order_relaxed); }
  std::int64_t version() const { return version_.load(std::memory_order_relaxed); }

  // Tuning (before run()): reconnect backoff bounds, burst coalescing window, and the idle
  // interval after which the connection is checked (and the version re-read).
  void set_backoff(Duration first, Duration cap) { backoff_first_ = first; backoff_cap_ = cap; }
  void set_coalesce_window(Duration d) { coalesce_ = d; }
  void set_idle_check(Duration d) { idle_check_ = d; }

 private:
  class Session;  // one database connection's life: connect, LISTEN, wait, reload
  boost::asio::awaitable<bool> run_session();  // true if it got connected
  boost::asio::awaitable<std::unique_ptr<Session>> connect();
  boost::asio::awaitable<bool> reload(Session& session);         // false: connection lost
  boost::asio::awaitable<bool> wait_for_change(Session& session);  // false: lost or cancelled
  enum class Wake { readable, idle, cancelled };
  boost::asio::awaitable<Wake> wait_readable(Session& session);
  boost::asio::awaitable<bool> drain(Session& session);
  boost::asio::awaitable<bool> check_version(Session& session);
  boost::asio::awaitable<void> sleep(Duration d);
  void publish(std::shared_ptr<const presence::PolicyRows> rows);

  boost::asio::any_io_executor ex_;
  std::string conninfo_;
  OnChange on_change_;
  Logger log_;
  Counter& reloads_;
  Gauge& version_gauge_;
  Gauge& connected_gauge_;
  Histogram& latency_;
  std::atomic<bool> connected_{false};
  std::atomic<std::int64_t> version_{0};
  Duration backoff_first_ = milliseconds(100);
  Duration backoff_cap_ = seconds(5);
  Duration coalesce_ = milliseconds(10);
  Duration idle_check_ = seconds(30);
  bool failing_ = false;  // connect failures are logged once per outage
  boost::asio::thread_pool worker_{1};
};

}  // namespace fedgate::gateway
