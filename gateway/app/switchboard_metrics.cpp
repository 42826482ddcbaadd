// SwitchboardMetrics: names and help texts (Prometheus style, low-cardinality labels only).
#include "gateway/app/switchboard_metrics.hpp"

#include <string>

namespace fedgate::gateway {

Counter& SwitchboardMetrics::cached(std::vector<Cached>& cache, const char* name, const char* help,
                                    std::initializer_list<const char*> label_names,
                                    std::initializer_list<std::string_view> values) {
  std::string_view v[3];
  std::size_t n = 0;
  for (auto value : values) {
    v[n++] = value;
  }
  std::lock_guard lock{mutex_};
  for (const auto& e : cache) {
    if (e.a == v[0] && e.b == v[1] && e.c == v[2]) {
      return *e.counter;
    }
  }
  Labels labels;
  std::size_t i = 0;
  for (const char* label : label_names) {
    labels.emplace_back(label, std::string(v[i++]));
  }
  Counter& counter = registry_.counter(name, help, labels);
  cache.push_back(Cached{std::string(v[0]), std::string(v[1]), std::string(v[2]), &counter});
  return counter;
}

void SwitchboardMetrics::decision(std::string_view kind, std::string_view outcome,
                                  std::string_view reason) {
  cached(decisions_, "fedgate_switchboard_decisions_total", "Routing decisions by kind and outcome",
         {"kind", "outcome", "reason"}, {kind, outcome, reason})
      .inc();
}

void SwitchboardMetrics::bounced(std::string_view reason) {
  registry_
      .counter("fedgate_switchboard_bounces_total",
               "Accepted messages bounced back to their sender", {{"reason", std::string(reason)}})
      .inc();
}

void SwitchboardMetrics::stanza(std::string_view direction, std::string_view kind) {
  cached(stanzas_, "fedgate_switchboard_stanzas_total", "XMPP stanzas through the switchboard",
         {"direction", "kind"}, {direction, kind})
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
