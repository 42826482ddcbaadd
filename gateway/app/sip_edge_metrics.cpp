// SipEdgeMetrics: names and help texts (Prometheus style, low-cardinality labels only).
#include "gateway/app/sip_edge_metrics.hpp"

#include <string>

namespace fedgate::gateway {

SipEdgeMetrics::SipEdgeMetrics(MetricsRegistry& registry)
    : listeners_(registry.gauge("fedgate_sip_edge_listeners", "SIP listeners bound")),
      events_(registry, "fedgate_sip_edge_events_total", "SIP events handed to the switchboard",
              {"kind"}),
      effects_(registry, "fedgate_sip_edge_effects_total",
               "Switchboard effects sent as SIP requests", {"kind"}),
      refusals_(registry, "fedgate_sip_edge_refusals_total", "SIP requests the edge refused",
                {"reason"}),
      dropped_(registry, "fedgate_sip_edge_dropped_total",
               "SIP effects or events that found no dialog or could not be read", {"reason"}) {}

void SipEdgeMetrics::event(std::string_view kind) { events_.get(kind).inc(); }

void SipEdgeMetrics::effect(std::string_view kind) { effects_.get(kind).inc(); }

void SipEdgeMetrics::refused(std::string_view reason) { refusals_.get(reason).inc(); }

void SipEdgeMetrics::dropped(std::string_view reason) { dropped_.get(reason).inc(); }

void SipEdgeMetrics::listeners(std::int64_t n) { listeners_.set(n); }

}  // namespace fedgate::gateway
