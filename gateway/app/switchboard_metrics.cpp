// SwitchboardMetrics: names and help texts (Prometheus style, low-cardinality labels only).
#include "gateway/app/switchboard_metrics.hpp"

#include <string>

namespace fedgate::gateway {

void SwitchboardMetrics::decision(std::string_view kind, std::string_view outcome,
                                  std::string_view reason) {
  registry_
      .counter("fedgate_switchboard_decisions_total", "Routing decisions by kind and outcome",
               {{"kind", std::string(kind)},
                {"outcome", std::string(outcome)},
                {"reason", std::string(reason)}})
      .inc();
}

void SwitchboardMetrics::bounced(std::string_view reason) {
  registry_
      .counter("fedgate_switchboard_bounces_total",
               "Accepted messages bounced back to their sender", {{"reason", std::string(reason)}})
      .inc();
}

void SwitchboardMetrics::stanza(std::string_view direction, std::string_view kind) {
  registry_
      .counter("fedgate_switchboard_stanzas_total", "XMPP stanzas through the switchboard",
               {{"direction", std::string(direction)}, {"kind", std::string(kind)}})
      .inc();
}

void SwitchboardMetrics::sip_unavailable(std::string_view effect) {
  registry_
      .counter("fedgate_switchboard_sip_unavailable_total",
               "SIP-bound effects refused because no SIP connection manager is attached",
               {{"effect", std::string(effect)}})
      .inc();
}

void SwitchboardMetrics::store_error(std::string_view op) {
  registry_
      .counter("fedgate_switchboard_store_errors_total", "Store calls that failed",
               {{"op", std::string(op)}})
      .inc();
}

void SwitchboardMetrics::presence_written(std::size_t rows) {
  registry_
      .counter("fedgate_switchboard_presence_writes_total",
               "Write-behind rounds of the presence cache (one store hop each)")
      .inc();
  registry_
      .counter("fedgate_switchboard_presence_rows_total",
               "Presence documents written to the presence cache (after coalescing)")
      .inc(rows);
}

void SwitchboardMetrics::delivered() {
  registry_.counter("fedgate_switchboard_delivered_total", "Accepted messages marked delivered")
      .inc();
}

}  // namespace fedgate::gateway
