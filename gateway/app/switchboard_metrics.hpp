// SwitchboardMetrics: every metric of the Switchboard in one place (STYLE.md B7): decisions by
// kind/outcome/reason, bounces, stanzas in and out, SIP-bound effects with no SIP side, store
// failures. Owned by the Switchboard; updated from its strand, rendered by the admin server.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

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
  // The counters of one family by label values, found again without building the strings
  // the registry's lookup takes (decisions and stanzas are counted per stanza).
  struct Cached {
    std::string a, b, c;
    Counter* counter;
  };
  Counter& cached(std::vector<Cached>& cache, const char* name, const char* help,
                  std::initializer_list<const char*> label_names,
                  std::initializer_list<std::string_view> values);

  MetricsRegistry& registry_;
  std::mutex mutex_;
  std::vector<Cached> decisions_;
  std::vector<Cached> stanzas_;
};

}  // namespace fedgate::gateway
