#include "gateway/app/membership.hpp"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "gateway/store/db_pool.hpp"

namespace fedgate::gateway {

namespace asio = boost::asio;

namespace {

std::string pg_array(const std::vector<std::string>& items) {
  std::string out = "{";
  for (std::size_t i = 0; i < items.size(); ++i) {
    out += (i ? ",\"" : "\"") + items[i] + "\"";
  }
  return out + "}";
}

}  // namespace

Membership::Membership(NodeIdentity self, DbPool& pool, MetricsRegistry& metrics, Logger log)
    : self_(std::move(self)),
      pool_(pool),
      live_nodes_(metrics.gauge("fedgate_cluster_live_nodes", "Nodes with a fresh heartbeat")),
      failures_(metrics.counter("fedgate_cluster_heartbeat_failures_total",
                                "Heartbeats that did not reach the database")),
      log_(std::move(log)) {
  view_.store(std::make_shared<const std::string>("[]"));
}

bool Membership::healthy() const {
  auto last = Clock::time_point(Clock::duration(last_ok_.load()));
  return Clock::now() - last < 2 * kInterval + std::chrono::seconds(1);
}

std::string Membership::nodes_json() const { return *view_.load(); }

asio::awaitable<bool> Membership::beat() {
  auto self = self_;
  auto work = [self](pqxx::connection& c) {
    pqxx::work tx(c);
    tx.exec_params(
        "INSERT INTO nodes (id, fqdn, addresses, roles, heartbeat, started_at) "
        "VALUES ($1, $2, $3::text[], $4::text[], now(), now()) "
        "ON CONFLICT (id) DO UPDATE SET fqdn = EXCLUDED.fqdn, addresses = EXCLUDED.addresses, "
        "roles = EXCLUDED.roles, heartbeat = now()",
        self.id, self.fqdn, pg_array(self.addresses), pg_array(self.roles));
    auto r = tx.exec(
        "SELECT id, fqdn, array_to_json(addresses)::text, "
        "extract(epoch from now() - heartbeat)::float8 AS age FROM nodes ORDER BY id");
    tx.commit();
    nlohmann::json view = nlohmann::json::array();
    for (const auto& row : r) {
      double age = row[3].as<double>();
      view.push_back({{"id", row[0].c_str()},
                      {"fqdn", row[1].c_str()},
                      {"addresses", nlohmann::json::parse(row[2].c_str())},
                      {"heartbeat_age_s", age},
                      {"live", age < 3 * std::chrono::seconds(kInterval).count()}});
    }
    return view;
  };
  auto rows = co_await pool_.run(std::move(work));
  if (!rows) {
    failures_.inc();
    log_.warn("cluster.heartbeat_failed", {{"error", rows.error().message()}});
    co_return false;
  }
  long live = 0;
  for (const auto& n : *rows) {
    live += n["live"].get<bool>() ? 1 : 0;
  }
  live_nodes_.set(live);
  view_.store(std::make_shared<const std::string>(rows->dump()));
  last_ok_.store(Clock::now().time_since_epoch().count());
  co_return true;
}

asio::awaitable<void> Membership::run() {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  for (;;) {
    co_await beat();
    timer.expires_after(kInterval);
    boost::system::error_code ec;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      co_return;  // cancelled: the node is stopping
    }
  }
}

}  // namespace fedgate::gateway
