// OutboxRetention: finished outbox rows deleted after kRetention, in bounded steps.
#include "gateway/store/outbox_retention.hpp"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <pqxx/pqxx>

namespace fedgate::gateway {

namespace asio = boost::asio;

std::size_t purge_finished_outbox(pqxx::connection& c, std::chrono::seconds age,
                                  std::size_t limit) {
  pqxx::work tx{c};
  // Oldest ids first through the primary key: old finished rows are found without a scan.
  auto r = tx.exec_params(
      "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE state IN ('delivered', "
      "'bounced') AND updated_at < now() - $1::bigint * interval '1 second' ORDER BY id "
      "LIMIT $2)",
      static_cast<long long>(age.count()), static_cast<long long>(limit));
  tx.commit();
  return static_cast<std::size_t>(r.affected_rows());
}

OutboxRetention::OutboxRetention(DbPool& pool, MetricsRegistry& metrics, Logger log)
    : pool_(pool),
      purged_(metrics.counter("fedgate_outbox_purged_total",
                              "Finished (delivered or bounced) outbox rows deleted after the "
                              "retention")),
      failures_(metrics.counter("fedgate_outbox_purge_failures_total",
                                "Outbox retention steps that failed (retried next interval)")),
      log_(std::move(log)) {}

asio::awaitable<std::size_t> OutboxRetention::round() {
  std::size_t total = 0;
  for (std::size_t step = 0; step < kStepsPerRound; ++step) {
    auto purge = [](pqxx::connection& c) { return purge_finished_outbox(c, kRetention, kStep); };
    auto deleted = co_await pool_.run(std::move(purge));
    if (!deleted) {
      failures_.inc();
      log_.warn("outbox.purge_failed", {{"error", deleted.error().message()}});
      break;
    }
    total += *deleted;
    purged_.inc(*deleted);
    if (*deleted < kStep) {
      break;
    }
  }
  if (total > 0) {
    log_.info("outbox.purged", {{"rows", total}});
  }
  co_return total;
}

asio::awaitable<void> OutboxRetention::run() {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  for (;;) {
    timer.expires_after(kInterval);
    boost::system::error_code ec;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      co_return;  // cancelled: the node stops
    }
    co_await round();
  }
}

}  // namespace fedgate::gateway
