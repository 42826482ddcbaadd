// XmppEdge: the node's XMPP side — c-ares resolver, TLS contexts, S2sConfig/StreamConfig built
// from config + the settings/xmpp_partner_profiles/local_domains tables, S2sPool, the
// listeners (xmpp-listen, xmpps-listen) and the Switchboard they feed. Owned by the Node;
// runs on the node's io_context. RFC 6120 §3.2, §13; XEP-0368; DESIGN.md "Case 1".
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "gateway/app/node_config.hpp"
#include "gateway/app/switchboard.hpp"
#include "gateway/base/log.hpp"
#include "gateway/base/metrics.hpp"
#include "gateway/base/task_group.hpp"
#include "gateway/net/resolver.hpp"
#include "gateway/store/db_pool.hpp"
#include "gateway/store/pg_outbox.hpp"
#include "gateway/store/pg_presence_cache_store.hpp"
#include "gateway/store/pg_subscription_store.hpp"
#include "presence/policy_snapshot.hpp"
#include "xmpp/transport/s2s_listener.hpp"
#include "xmpp/transport/s2s_pool.hpp"

namespace fedgate::gateway {

class XmppEdge {
 public:
  using PolicySource = std::function<std::shared_ptr<const presence::PolicyRows>()>;

  XmppEdge(boost::asio::io_context& ioc, const NodeConfig& config, DbPool& db, TaskGroup& tasks,
           MetricsRegistry& metrics, Logger log, PolicySource policy);
  ~XmppEdge();
  XmppEdge(const XmppEdge&) = delete;
  XmppEdge& operator=(const XmppEdge&) = delete;

  // Builds everything from `rows` (the policy at start) and binds the listeners; throws
  // std::runtime_error with a readable message when a listener cannot bind (start-up error).
  void start(const presence::PolicyRows& rows);
  // A new policy version: domains served, partner profiles, home routes and the security
  // settings (settings table) of new streams; established streams keep what they negotiated.
  void on_policy(const std::shared_ptr<const presence::PolicyRows>& rows);
  // Stops accepting, closes outbound streams (what is queued or unacknowledged is held, not
  // bounced: its messages stay pending in the outbox for the next start).
  void stop();

  bool listening() const { return listening_.load(); }
  Switchboard& switchboard() { return *switchboard_; }

 private:
  // What the stream predicates consult, swapped atomically on a policy change.
  struct View {
    std::shared_ptr<const presence::PolicySnapshot> policy;
    std::shared_ptr<const presence::PolicyRows> rows;
  };
  std::shared_ptr<const View> view() const { return view_.load(); }
  std::shared_ptr<const xmpp::StreamConfig> stream_config(const xmpp::SecuritySettings& s) const;
  void apply_security(const presence::Settings& s, std::int64_t version);
  void use_current_security();
  std::optional<xmpp::StaticRoute> home_route(std::string_view domain) const;
  void make_resolver();
  void make_tls();
  void listen(const std::string& where, bool direct_tls);
  boost::asio::awaitable<std::optional<presence::Protocol>> discover(std::string domain);

  boost::asio::io_context& ioc_;
  const NodeConfig& config_;
  DbPool& db_;
  TaskGroup& tasks_;
  MetricsRegistry& metrics_;
  Logger base_log_;  // the node's logger, for the switchboard
  Logger log_;
  PolicySource policy_;
  std::atomic<std::shared_ptr<const View>> view_;
  std::mutex security_mutex_;          // on_policy (policy watcher) vs start
  presence::Settings security_rows_;  // the settings row behind the StreamConfig in use
  xmpp::SecuritySettings security_;   // what new streams use (with the secret grace)
  std::unique_ptr<Resolver> cares_;
  std::unique_ptr<Resolver> resolver_;
  xmpp::S2sConfig s2s_config_;
  std::unique_ptr<xmpp::S2sMetrics> s2s_metrics_;
  std::unique_ptr<xmpp::S2sPool> pool_;
  std::unique_ptr<S2sPoolSide> xmpp_side_;
  PgOutbox outbox_;
  PgSubscriptionStore subscriptions_;
  PgPresenceCacheStore presence_cache_;
  std::unique_ptr<Switchboard> switchboard_;
  std::unique_ptr<xmpp::InboundDeps> inbound_;
  std::vector<std::unique_ptr<xmpp::S2sListener>> listeners_;
  std::atomic<bool> listening_{false};
};

}  // namespace fedgate::gateway
