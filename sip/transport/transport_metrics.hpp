// SipTransportMetrics: every metric of the SIP transport in one place (STYLE.md B7).
// Owned by the Node (one per registry), shared by the listener, pool and connections; the
// metric objects are updated lock-free from any strand. Labels: transport, direction, reason.
#pragma once

#include <cstdint>
#include <string_view>

#include "gateway/base/metrics.hpp"
#include "sip/transport/transport_types.hpp"

namespace fedgate::sip {

class SipTransportMetrics {
 public:
  explicit SipTransportMetrics(MetricsRegistry& registry);

  // fedgate_sip_transport_connections_total / _connections (gauge), per transport+direction.
  void opened(Transport t, Direction d);
  void closed(Transport t, Direction d);
  // fedgate_sip_transport_refusals_total{reason}: connections refused, messages rejected.
  void refused(std::string_view reason);
  // The same counter, reason "mailbox_full": `n` messages refused by a full write mailbox.
  void mailbox_full(std::uint64_t n);
  // fedgate_sip_transport_messages_total{direction}.
  void message(Direction d, std::uint64_t n = 1);
  // fedgate_sip_transport_keepalives_total{direction}: pongs sent (outbound), pings seen.
  void keepalive(Direction d, std::uint64_t n = 1);

  MetricsRegistry& registry() { return registry_; }

 private:
  static std::size_t index(Transport t, Direction d) {
    return static_cast<std::size_t>(t) * 2 + static_cast<std::size_t>(d);
  }
  MetricsRegistry& registry_;
  Counter* opened_[6] = {};  // UDP has no connections; its slots stay unregistered
  Gauge* active_[6] = {};
  Counter* messages_[2] = {};
  Counter* keepalives_[2] = {};
};

}  // namespace fedgate::sip
