// SwitchboardDeps: the ports and executors the Switchboard takes from the Node (outbox,
// subscription and presence-cache stores, the XMPP side, tasks, metrics, policy, discovery).
// Plain aggregate of references; the Node owns everything referred to. STYLE.md B2.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "gateway/app/xmpp_side.hpp"
#include "gateway/base/log.hpp"
#include "gateway/base/metrics.hpp"
#include "gateway/base/task_group.hpp"
#include "presence/outbox.hpp"
#include "presence/policy_rows.hpp"
#include "presence/presence_cache_store.hpp"
#include "presence/subscription_store.hpp"

namespace fedgate::gateway {

// Everything the switchboard needs from the node. Ports must outlive it.
struct SwitchboardDeps {
  boost::asio::any_io_executor executor;        // the switchboard makes its strand on it
  boost::asio::any_io_executor store_executor;  // synchronous ports run here (DbPool)
  presence::Outbox& outbox;
  presence::SubscriptionStore& subscriptions;
  presence::PresenceCacheStore& presence_cache;
  XmppSide& xmpp;
  TaskGroup& tasks;
  MetricsRegistry& metrics;
  Logger log;
  // Current policy rows (null until loaded); a new version → a new snapshot.
  std::function<std::shared_ptr<const presence::PolicyRows>()> policy;
  // Open federation (DNS discovery): the protocol found or nullopt; empty function: refused.
  std::function<boost::asio::awaitable<std::optional<presence::Protocol>>(std::string domain)>
      discover;
};

}  // namespace fedgate::gateway
