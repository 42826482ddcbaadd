// Node: one running fedgate process. Owns everything (STYLE.md B5): the io_context and its
// threads, the database pool, the policy watcher, cluster membership, the admin server, the
// XMPP edge (listeners, s2s pool, switchboard), the SIP edge and the task group every session belongs to.
// run() blocks until SIGINT/SIGTERM, then drains.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <atomic>
#include <memory>
#include <string>

#include "gateway/admin/admin_server.hpp"
#include "gateway/app/database.hpp"
#include "gateway/app/node_config.hpp"
#include "gateway/base/log.hpp"
#include "gateway/base/metrics.hpp"
#include "gateway/base/task_group.hpp"
#include "presence/policy_rows.hpp"

namespace fedgate::gateway {

class DbPool;
class PolicyWatcher;
class Membership;
class XmppEdge;
class SipEdge;

class Node {
 public:
  Node(NodeConfig config, Database db, Logger log);
  ~Node();
  // Binds the listeners and starts every task; throws on a start-up failure.
  void start();
  // Runs the I/O threads until a shutdown signal, then drains; returns the exit status.
  int run();

  std::shared_ptr<const presence::PolicyRows> policy() const { return policy_.load(); }
  MetricsRegistry& metrics() { return metrics_; }

 private:
  void start_admin();
  void start_xmpp();
  void start_sip();
  AdminReply trace_route(const AdminRequest& req);
  bool ready(std::string& why) const;
  void shutdown();

  NodeConfig config_;
  Database db_;
  Logger log_;
  MetricsRegistry metrics_;
  boost::asio::io_context ioc_;
  TaskGroup tasks_;
  std::unique_ptr<DbPool> pool_;
  std::unique_ptr<PolicyWatcher> watcher_;
  std::unique_ptr<Membership> membership_;
  std::unique_ptr<AdminServer> admin_;
  std::unique_ptr<XmppEdge> xmpp_;  // null when no XMPP listener is configured
  std::unique_ptr<SipEdge> sip_;    // null when no SIP listener (or no switchboard)
  std::string admin_token_;
  boost::asio::ip::tcp::endpoint admin_endpoint_;
  std::atomic<std::shared_ptr<const presence::PolicyRows>> policy_;
  std::atomic<bool> stopping_{false};
};

}  // namespace fedgate::gateway
