#include "gateway/store/db_pool.hpp"

#include <chrono>

#include "gateway/store/pg_error.hpp"

namespace fedgate::gateway {

DbPool::DbPool(std::string conninfo, std::size_t size, Logger log, MetricsRegistry& metrics)
    : conninfo_(std::move(conninfo)),
      log_(std::move(log)),
      latency_(metrics.histogram("fedgate_store_db_latency_seconds",
                                 "Time spent in database calls", {{"op", "pool"}})),
      errors_(metrics.counter("fedgate_store_db_errors_total", "Failed database calls",
                              {{"op", "pool"}})),
      threads_(size == 0 ? 1 : size) {}

DbPool::~DbPool() {
  threads_.join();
  std::lock_guard lock{mutex_};
  idle_.clear();
}

result<DbPool::Lease> DbPool::acquire() {
  auto started = Clock::now();
  {
    std::lock_guard lock{mutex_};
    if (!idle_.empty()) {
      auto conn = std::move(idle_.back());
      idle_.pop_back();
      return Lease{std::move(conn), started};
    }
  }
  try {
    auto conn = std::make_unique<pqxx::connection>(conninfo_);
    // Every statement here is prepared once per connection and run on batches. A generic plan
    // is fixed from the statistics of the moment it is chosen: the outbox, empty at start-up,
    // then kept a sequential scan for `id = ANY($1)` while it grew to 100,000 rows (PostgreSQL
    // at 100+ us of CPU per IM). Custom plans cost a few microseconds per batch and follow the
    // table as it grows.
    conn->set_variable("plan_cache_mode", "force_custom_plan");
    if (!healthy_.exchange(true)) {
      log_.info("store.db.reconnected");
    }
    return Lease{std::move(conn), started};
  } catch (...) {
    auto failure = classify_pg_exception(std::current_exception());
    errors_.inc();
    if (healthy_.exchange(false)) {
      log_.warn("store.db.unavailable", {{"error", failure.detail}});
    }
    return make_error_code(StoreErrc::unavailable);
  }
}

void DbPool::release(Lease lease) {
  latency_.observe(std::chrono::duration<double>(Clock::now() - lease.started).count());
  healthy_.store(true, std::memory_order_relaxed);
  std::lock_guard lock{mutex_};
  idle_.push_back(std::move(lease.conn));
}

boost::system::error_code DbPool::fail(std::exception_ptr error, Lease lease) {
  auto failure = classify_pg_exception(error);
  errors_.inc();
  latency_.observe(std::chrono::duration<double>(Clock::now() - lease.started).count());
  if (failure.code == StoreErrc::unavailable || !lease.conn->is_open()) {
    // Dropped here; the next call opens a fresh connection.
    healthy_.store(false, std::memory_order_relaxed);
    log_.warn("store.db.connection_lost", {{"error", failure.detail}});
    return make_error_code(StoreErrc::unavailable);
  }
  log_.info("store.db.query_failed", {{"sqlstate", failure.sqlstate}, {"error", failure.detail}});
  std::lock_guard lock{mutex_};
  idle_.push_back(std::move(lease.conn));
  return make_error_code(failure.code);
}

}  // namespace fedgate::gateway
