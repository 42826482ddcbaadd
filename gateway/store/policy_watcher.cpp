#include "gateway/store/policy_watcher.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <charconv>
#include <pqxx/pqxx>

#include "gateway/store/pg_error.hpp"
#include "gateway/store/policy_loader.hpp"

namespace asio = boost::asio;

namespace fedgate::gateway {
namespace {

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
constexpr char kChannel[] = "fedgate_policy";

// Runs blocking f() on the worker thread and resumes the caller on its own executor. The
// caller's cancellation is not forwarded: the blocking call cannot be interrupted, and a
// cancelled child would throw on the worker thread. run() checks for cancellation after.
template <class F>
asio::awaitable<std::invoke_result_t<F&>> on_worker(asio::thread_pool& worker, F f) {
  using R = std::invoke_result_t<F&>;
  R value = co_await asio::co_spawn(
      worker, [f = std::move(f)]() mutable -> asio::awaitable<R> { co_return f(); },
      asio::bind_cancellation_slot(asio::cancellation_slot{}, asio::use_awaitable));
  co_return value;
}

asio::awaitable<bool> cancelled() {
  auto state = co_await asio::this_coro::cancellation_state;
  co_return state.cancelled() != asio::cancellation_type::none;
}

}  // namespace

// One connection's life. LISTEN is issued by the receiver before the first load, so no
// change committed after the load can be missed.
class PolicyWatcher::Session {
 public:
  explicit Session(const std::string& conninfo) : conn(conninfo), receiver(conn) {}

  struct Receiver : pqxx::notification_receiver {
    explicit Receiver(pqxx::connection& c) : pqxx::notification_receiver(c, kChannel) {}
    void operator()(const std::string& payload, int) override {
      std::int64_t v = 0;
      auto [_, ec] = std::from_chars(payload.data(), payload.data() + payload.size(), v);
      newest = ec == std::errc{} ? std::max(newest, v) : -1;
      ++count;
    }
    int count = 0;
    std::int64_t newest = 0;  // highest version announced; -1 when a payload was unreadable
  };

  pqxx::connection conn;
  Receiver receiver;
};

PolicyWatcher::PolicyWatcher(asio::any_io_executor ex, std::string conninfo, OnChange on_change,
                             Logger log, MetricsRegistry& metrics)
    : ex_(std::move(ex)),
      conninfo_(std::move(conninfo)),
      on_change_(std::move(on_change)),
      log_(std::move(log)),
      reloads_(metrics.counter("fedgate_store_policy_reloads_total",
                               "Policy snapshots loaded from the database")),
      version_gauge_(metrics.gauge("fedgate_store_policy_version", "Live policy version")),
      connected_gauge_(metrics.gauge("fedgate_store_connected",
                                     "1 while the policy watcher holds a database connection")),
      latency_(metrics.histogram("fedgate_store_db_latency_seconds", "Time spent in database calls",
                                 {{"op", "policy_load"}})) {}

PolicyWatcher::~PolicyWatcher() { worker_.join(); }

void PolicyWatcher::publish(std::shared_ptr<const presence::PolicyRows> rows) {
  version_.store(rows->version, std::memory_order_relaxed);
  version_gauge_.set(rows->version);
  if (on_change_) {
    on_change_(std::move(rows));
  }
}

asio::awaitable<void> PolicyWatcher::sleep(Duration d) {
  asio::steady_timer timer{ex_, d};
  co_await timer.async_wait(kNoThrow);
}

asio::awaitable<void> PolicyWatcher::run() {
  co_await asio::this_coro::throw_if_cancelled(false);
  Duration backoff = backoff_first_;
  while (!co_await cancelled()) {
    bool was_connected = co_await run_session();
    if (co_await cancelled()) {
      break;
    }
    if (was_connected) {
      backoff = backoff_first_;
    }
    co_await sleep(backoff);
    backoff = std::min(backoff * 2, backoff_cap_);
  }
  log_.info("store.policy.watcher_stopped");
}

asio::awaitable<std::unique_ptr<PolicyWatcher::Session>> PolicyWatcher::connect() {
  std::string error;
  auto session = co_await on_worker(worker_, [&]() -> std::unique_ptr<Session> {
    try {
      return std::make_unique<Session>(conninfo_);
    } catch (...) {
      error = classify_pg_exception(std::current_exception()).detail;
      return nullptr;
    }
  });
  if (!session) {
    if (!failing_) {
      log_.warn("store.policy.connect_failed", {{"error", error}});
    }
    failing_ = true;
    co_return nullptr;
  }
  failing_ = false;
  log_.info("store.policy.connected", {{"channel", kChannel}});
  co_return session;
}

asio::awaitable<bool> PolicyWatcher::run_session() {
  auto session = co_await connect();
  if (!session) {
    co_return false;
  }
  connected_.store(true, std::memory_order_relaxed);
  connected_gauge_.set(1);
  bool ok = co_await reload(*session);
  while (ok && !co_await cancelled()) {
    ok = co_await wait_for_change(*session);
  }
  connected_.store(false, std::memory_order_relaxed);
  connected_gauge_.set(0);
  if (!ok && !co_await cancelled()) {
    log_.warn("store.policy.connection_lost", {{"version", version()}});
  }
  co_await on_worker(worker_, [&] {
    session.reset();  // closing may block briefly: not on the I/O thread
    return true;
  });
  co_return true;
}

asio::awaitable<bool> PolicyWatcher::reload(Session& session) {
  auto started = Clock::now();
  std::string detail;
  auto rows = co_await on_worker(worker_, [&] { return load_policy(session.conn, &detail); });
  double elapsed = std::chrono::duration<double>(Clock::now() - started).count();
  latency_.observe(elapsed);
  if (!rows) {
    log_.warn("store.policy.load_failed", {{"error", detail}});
    co_return false;
  }
  reloads_.inc();
  bool changed = rows->version != version();
  log_.info("store.policy.loaded",
            {{"version", rows->version}, {"changed", changed}, {"ms", elapsed * 1000}});
  if (changed) {
    publish(std::make_shared<const presence::PolicyRows>(std::move(*rows)));
  }
  co_return true;
}

// Consumes pending input; the receiver counts notifications. False when the connection broke.
asio::awaitable<bool> PolicyWatcher::drain(Session& session) {
  bool open = co_await on_worker(worker_, [&] {
    try {
      session.conn.get_notifs();
      return session.conn.is_open();
    } catch (...) {
      return false;
    }
  });
  co_return open;
}

asio::awaitable<bool> PolicyWatcher::wait_for_change(Session& session) {
  // A NOTIFY that arrived while a query ran was read by libpq then: it waits in libpq's queue
  // and will never make the socket readable again, so look there first.
  if (!co_await drain(session)) {
    co_return false;
  }
  if (session.receiver.count == 0) {
    Wake wake = co_await wait_readable(session);
    if (wake == Wake::cancelled) {
      co_return false;
    }
    if (wake == Wake::idle) {
      bool alive = co_await check_version(session);
      co_return alive;
    }
    if (!co_await drain(session)) {
      co_return false;
    }
    if (session.receiver.count == 0) {
      co_return true;  // readable without a notification (a notice): nothing to do
    }
  }
  co_await sleep(coalesce_);  // let a burst of commits arrive, then load once
  if (!co_await drain(session)) {
    co_return false;
  }
  session.receiver.count = 0;
  if (session.receiver.newest == version()) {
    co_return true;  // already loaded (the load raced ahead of the notification)
  }
  bool loaded = co_await reload(session);
  co_return loaded;
}

asio::awaitable<PolicyWatcher::Wake> PolicyWatcher::wait_readable(Session& session) {
  int fd = session.conn.sock();
  if (fd < 0) {
    co_return Wake::readable;  // the next drain reports the broken connection
  }
  asio::posix::stream_descriptor socket{ex_, fd};
  asio::steady_timer idle{ex_, idle_check_};
  // The operations themselves form the group (not awaitables, which `||` would co_spawn as
  // threads that filter out all but terminal cancellation): the task group's stop reaches them.
  auto group = asio::experimental::make_parallel_group(
      socket.async_wait(asio::posix::descriptor_base::wait_read, asio::deferred),
      idle.async_wait(asio::deferred));
  auto [order, socket_ec, idle_ec] =
      co_await group.async_wait(asio::experimental::wait_for_one(), asio::use_awaitable);
  socket.release();  // the fd stays pqxx's: never closed by asio
  if (co_await cancelled()) {
    co_return Wake::cancelled;
  }
  co_return order[0] == 0 && !socket_ec ? Wake::readable : Wake::idle;
}

// Idle check: proves the connection alive and catches a change whose NOTIFY was missed.
asio::awaitable<bool> PolicyWatcher::check_version(Session& session) {
  auto current = co_await on_worker(worker_, [&]() -> std::optional<std::int64_t> {
    try {
      pqxx::nontransaction tx{session.conn};
      return tx.exec("SELECT version FROM policy_version")[0][0].as<std::int64_t>();
    } catch (...) {
      return std::nullopt;
    }
  });
  if (!current) {
    co_return false;
  }
  if (*current == version()) {
    co_return true;
  }
  bool loaded = co_await reload(session);
  co_return loaded;
}

}  // namespace fedgate::gateway
