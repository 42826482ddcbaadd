// AgentMetrics: every metric of the SIP agent in one place (STYLE.md B7). Owned by the Node
// (one per registry); updated from the agent's strand, read by /metrics from any thread.
// Labels: method, direction, reason (low cardinality; never a domain).
#pragma once

#include <string_view>

#include "gateway/base/metrics.hpp"
#include "sip/bridge/counter_cache.hpp"

namespace fedgate::sip {

class AgentMetrics {
 public:
  explicit AgentMetrics(MetricsRegistry& registry);

  // fedgate_sip_agent_requests_total{method,direction}
  void request(std::string_view method, std::string_view direction);
  // fedgate_sip_agent_refusals_total{reason}: requests we answered with an error ourselves.
  void refused(std::string_view reason);
  // fedgate_sip_agent_transaction_failures_total{reason}: timeout, transport_error, no_route.
  void failed(std::string_view reason);
  // fedgate_sip_agent_keepalive_peers_up (gauge).
  void peer_up(bool up);

  MetricsRegistry& registry() { return registry_; }

 private:
  MetricsRegistry& registry_;
  CounterCache requests_;
  CounterCache refusals_;
  CounterCache failures_;
};

}  // namespace fedgate::sip
