#include "xmpp/transport/s2s_metrics.hpp"

#include <string>

namespace fedgate::xmpp {

S2sMetrics::S2sMetrics(MetricsRegistry& registry) : registry_(registry) {
  for (auto d : {S2sDirection::inbound, S2sDirection::outbound}) {
    const auto i = static_cast<std::size_t>(d);
    Labels labels{{"direction", name(d)}};
    opened_[i] = &registry.counter("fedgate_xmpp_s2s_streams_total", "s2s streams opened", labels);
    active_[i] = &registry.gauge("fedgate_xmpp_s2s_streams", "s2s streams open now", labels);
    stanzas_[i] = &registry.counter("fedgate_xmpp_s2s_stanzas_total", "stanzas carried", labels);
  }
  delivered_ = &registry.counter("fedgate_xmpp_s2s_delivered_total", "stanzas delivered");
  resent_ = &registry.counter("fedgate_xmpp_s2s_resent_total", "stanzas resent on a new stream");
  held_ = &registry.counter("fedgate_xmpp_s2s_held_total", "stanzas left unsent at shutdown");
}

void S2sMetrics::opened(S2sDirection d) {
  opened_[static_cast<std::size_t>(d)]->inc();
  active_[static_cast<std::size_t>(d)]->inc();
}

void S2sMetrics::closed(S2sDirection d, std::string_view reason) {
  active_[static_cast<std::size_t>(d)]->dec();
  registry_
      .counter("fedgate_xmpp_s2s_closed_total", "s2s streams closed",
               {{"direction", name(d)}, {"reason", std::string(reason)}})
      .inc();
}

void S2sMetrics::refused(std::string_view reason) {
  registry_
      .counter("fedgate_xmpp_s2s_refused_total", "s2s streams refused",
               {{"reason", std::string(reason)}})
      .inc();
}

void S2sMetrics::stanza(S2sDirection d) { stanzas_[static_cast<std::size_t>(d)]->inc(); }

void S2sMetrics::delivered() { delivered_->inc(); }

void S2sMetrics::resent() { resent_->inc(); }

void S2sMetrics::held() { held_->inc(); }

void S2sMetrics::bounced(std::string_view condition) {
  registry_
      .counter("fedgate_xmpp_s2s_bounced_total", "stanzas bounced to their sender",
               {{"condition", std::string(condition)}})
      .inc();
}

}  // namespace fedgate::xmpp
