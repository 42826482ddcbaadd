// Membership: this node's row in the `nodes` table, refreshed by a heartbeat every few
// seconds; other nodes are live while their heartbeat is fresh. Runs on its own strand in the
// Node's task group; database work goes through the DbPool.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <atomic>
#include <string>
#include <vector>

#include "gateway/base/clock.hpp"
#include "gateway/base/log.hpp"
#include "gateway/base/metrics.hpp"

namespace fedgate::gateway {

class DbPool;

struct NodeIdentity {
  std::string id;
  std::string fqdn;
  std::vector<std::string> addresses;  // listener addresses, "host:port"
  std::vector<std::string> roles;      // "sip", "xmpp", "admin"
};

class Membership {
 public:
  static constexpr auto kInterval = std::chrono::seconds(5);
  Membership(NodeIdentity self, DbPool& pool, MetricsRegistry& metrics, Logger log);
  boost::asio::awaitable<void> run();  // until cancelled
  // True while the last heartbeat reached the database within two intervals.
  bool healthy() const;
  std::string nodes_json() const;  // the last cluster view, for the admin API

 private:
  boost::asio::awaitable<bool> beat();
  NodeIdentity self_;
  DbPool& pool_;
  Gauge& live_nodes_;
  Counter& failures_;
  Logger log_;
  std::atomic<Clock::rep> last_ok_{0};
  std::atomic<std::shared_ptr<const std::string>> view_;
};

}  // namespace fedgate::gateway
