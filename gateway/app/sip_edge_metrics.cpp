// SipEdgeMetrics: names and help texts (Prometheus style, low-cardinality labels only).
#include "gateway/app/sip_edge_metrics.hpp"

#include <string>

namespace fedgate::gateway {

SipEdgeMetrics::SipEdgeMetrics(MetricsRegistry& registry)
    : registry_(registry),
      listeners_(registry.gauge("fedgate_sip_edge_listeners", "SIP listeners bound")) {}

void SipEdgeMetrics::event(std::string_view kind) {
  registry_
      .counter("fedgate_sip_edge_events_total", "SIP events handed to the switchboard",
               {{"kind", std::string(kind)}})
      .inc();
}

void SipEdgeMetrics::effect(std::string_view kind) {
  registry_
      .counter("fedgate_sip_edge_effects_total", "Switchboard effects sent as SIP requests",
               {{"kind", std::string(kind)}})
      .inc();
}

void SipEdgeMetrics::refused(std::string_view reason) {
  registry_
      .counter("fedgate_sip_edge_refusals_total", "SIP requests the edge refused",
               {{"reason", std::string(reason)}})
      .inc();
}

void SipEdgeMetrics::dropped(std::string_view reason) {
  registry_
      .counter("fedgate_sip_edge_dropped_total",
               "SIP effects or events that found no dialog or could not be read",
               {{"reason", std::string(reason)}})
      .inc();
}

void SipEdgeMetrics::listeners(std::int64_t n) { listeners_.set(n); }

}  // namespace fedgate::gateway
