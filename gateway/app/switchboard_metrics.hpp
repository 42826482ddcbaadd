// SwitchboardMetrics: every metric of the Switchboard in one place (STYLE.md B7): decisions by
// kind/outcome/reason, bounces, stanzas in and out, SIP-bound effects with no SIP side, store
// failures. Owned by the Switchboard; updated from its strand, rendered by the admin server.
#pragma once

#include <cstddef>
#include <string_view>

#include "gateway/base/metrics.hpp"

namespace fedgate::gateway {

class SwitchboardMetrics {
 public:
  explicit SwitchboardMetrics(MetricsRegistry& registry) : registry_(registry) {}

  // fedgate_switchboard_decisions_total{kind,outcome,reason}; kind: message, subscription,
  // presence, iq; outcome: deliver, refuse, drop, discover.
  void decision(std::string_view kind, std::string_view outcome, std::string_view reason = "");
  // fedgate_switchboard_bounces_total{reason}.
  void bounced(std::string_view reason);
  // fedgate_switchboard_stanzas_total{direction,kind}; direction: in, out.
  void stanza(std::string_view direction, std::string_view kind);
  // fedgate_switchboard_sip_unavailable_total{effect}: SIP-bound effects with no SIP side.
  void sip_unavailable(std::string_view effect);
  // fedgate_switchboard_store_errors_total{op}.
  void store_error(std::string_view op);
  // fedgate_switchboard_presence_writes_total (store rounds), _presence_rows_total (documents).
  void presence_written(std::size_t rows);
  // fedgate_switchboard_delivered_total.
  void delivered();

  MetricsRegistry& registry() { return registry_; }

 private:
  MetricsRegistry& registry_;
};

}  // namespace fedgate::gateway
