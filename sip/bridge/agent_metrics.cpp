// The SIP agent's metrics (STYLE.md B7 names: fedgate_sip_agent_*).
#include "sip/bridge/agent_metrics.hpp"

#include <string>

namespace fedgate::sip {

AgentMetrics::AgentMetrics(MetricsRegistry& registry)
    : registry_(registry),
      requests_(registry, "fedgate_sip_agent_requests_total", "SIP requests handled by the agent",
                {"method", "direction"}),
      refusals_(registry, "fedgate_sip_agent_refusals_total", "requests the agent refused itself",
                {"reason"}),
      failures_(registry, "fedgate_sip_agent_transaction_failures_total",
                "client transactions without a final response from the peer", {"reason"}) {}

void AgentMetrics::request(std::string_view method, std::string_view direction) {
  requests_.get(method, direction).inc();
}

void AgentMetrics::refused(std::string_view reason) { refusals_.get(reason).inc(); }

void AgentMetrics::failed(std::string_view reason) { failures_.get(reason).inc(); }

void AgentMetrics::peer_up(bool up) {
  auto& g =
      registry_.gauge("fedgate_sip_agent_keepalive_peers_up", "keep-alive peers answering OPTIONS");
  if (up) {
    g.inc();
  } else {
    g.dec();
  }
}

}  // namespace fedgate::sip
