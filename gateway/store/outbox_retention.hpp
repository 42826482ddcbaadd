// OutboxRetention: deletes outbox rows that are finished (delivered or bounced) and older than
// the retention, so the table holds what is still owed plus a window for late bounces and for
// the operator's queries. Owned by the node; a coroutine on any executor, DbPool for the SQL.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <pqxx/connection>

#include "gateway/base/log.hpp"
#include "gateway/base/metrics.hpp"
#include "gateway/store/db_pool.hpp"

namespace fedgate::gateway {

// One step: at most `limit` finished rows last changed more than `age` ago, oldest first.
// Accepted and delivering rows are never touched. Returns how many were deleted.
std::size_t purge_finished_outbox(pqxx::connection& c, std::chrono::seconds age,
                                  std::size_t limit);

class OutboxRetention {
 public:
  // Longer than any bounce memory (a late bounce marks a delivered row, which must exist).
  static constexpr auto kRetention = std::chrono::hours(24);
  static constexpr auto kInterval = std::chrono::minutes(5);
  static constexpr std::size_t kStep = 10'000;      // rows per transaction
  static constexpr std::size_t kStepsPerRound = 100;  // bounded work per interval

  OutboxRetention(DbPool& pool, MetricsRegistry& metrics, Logger log);
  boost::asio::awaitable<void> run();  // until cancelled
  boost::asio::awaitable<std::size_t> round();  // one bounded round; the rows deleted

 private:
  DbPool& pool_;
  Counter& purged_;
  Counter& failures_;
  Logger log_;
};

}  // namespace fedgate::gateway
