// SipEdgeMetrics: every metric of the SIP edge in one place (STYLE.md B7): SIP events handed to
// the switchboard, SIP-bound effects carried out, refusals and effects that found no dialog, by
// a low-cardinality reason. Owned by SipEdge; updated from any strand, rendered by the admin
// server. RFC 6665, RFC 3428, MS-SIPRE.
#pragma once

#include <string_view>

#include "gateway/base/metrics.hpp"
#include "sip/bridge/counter_cache.hpp"

namespace fedgate::gateway {

class SipEdgeMetrics {
 public:
  explicit SipEdgeMetrics(MetricsRegistry& registry);

  // fedgate_sip_edge_events_total{kind}: agent events handed to the switchboard (message,
  // subscribe, notify, invite, session_message, subscription_ended, watcher_gone, bye).
  void event(std::string_view kind);
  // fedgate_sip_edge_effects_total{kind}: switchboard effects sent as SIP requests.
  void effect(std::string_view kind);
  // fedgate_sip_edge_refusals_total{reason}: SIP requests the edge answered with an error.
  void refused(std::string_view reason);
  // fedgate_sip_edge_dropped_total{reason}: effects or events that found no dialog, bodies
  // that could not be read.
  void dropped(std::string_view reason);
  // fedgate_sip_edge_listeners (gauge): SIP listeners bound.
  void listeners(std::int64_t n);

 private:
  Gauge& listeners_;
  sip::CounterCache events_;
  sip::CounterCache effects_;
  sip::CounterCache refusals_;
  sip::CounterCache dropped_;
};

}  // namespace fedgate::gateway
