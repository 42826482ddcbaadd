#include "sip/transport/transport_metrics.hpp"

#include <string>

namespace fedgate::sip {
namespace {

constexpr const char* kConnectionsTotal = "fedgate_sip_transport_connections_total";
constexpr const char* kConnections = "fedgate_sip_transport_connections";
constexpr const char* kRefusals = "fedgate_sip_transport_refusals_total";
constexpr const char* kMessages = "fedgate_sip_transport_messages_total";
constexpr const char* kKeepAlives = "fedgate_sip_transport_keepalives_total";

}  // namespace

SipTransportMetrics::SipTransportMetrics(MetricsRegistry& registry) : registry_(registry) {
  for (auto t : {Transport::tcp, Transport::tls}) {
    for (auto d : {Direction::inbound, Direction::outbound}) {
      Labels labels{{"transport", std::string(to_string(t))},
                    {"direction", std::string(to_string(d))}};
      opened_[index(t, d)] =
          &registry.counter(kConnectionsTotal, "SIP connections established", labels);
      active_[index(t, d)] = &registry.gauge(kConnections, "SIP connections open", labels);
    }
  }
  for (auto d : {Direction::inbound, Direction::outbound}) {
    Labels labels{{"direction", std::string(to_string(d))}};
    auto i = static_cast<std::size_t>(d);
    messages_[i] = &registry.counter(kMessages, "SIP messages read or written", labels);
    keepalives_[i] = &registry.counter(kKeepAlives, "CRLF keep-alives seen or sent", labels);
  }
}

void SipTransportMetrics::opened(Transport t, Direction d) {
  if (opened_[index(t, d)] != nullptr) {
    opened_[index(t, d)]->inc();
    active_[index(t, d)]->inc();
  }
}

void SipTransportMetrics::closed(Transport t, Direction d) {
  if (active_[index(t, d)] != nullptr) {
    active_[index(t, d)]->dec();
  }
}

void SipTransportMetrics::refused(std::string_view reason) {
  registry_
      .counter(kRefusals, "SIP connections refused and messages rejected, by reason",
               {{"reason", std::string(reason)}})
      .inc();
}

void SipTransportMetrics::mailbox_full(std::uint64_t n) {
  registry_
      .counter(kRefusals, "SIP connections refused and messages rejected, by reason",
               {{"reason", "mailbox_full"}})
      .inc(n);
}

void SipTransportMetrics::message(Direction d, std::uint64_t n) {
  messages_[static_cast<std::size_t>(d)]->inc(n);
}

void SipTransportMetrics::keepalive(Direction d, std::uint64_t n) {
  keepalives_[static_cast<std::size_t>(d)]->inc(n);
}

}  // namespace fedgate::sip
