// Settings of the SIP transport: timeouts, limits and the TLS peer-subject allow-list.
// Owned by the Node (config), read-only for every connection; any executor.
// RFC 3261 §18, RFC 5626 §3.5.1 (CRLF keep-alive), RFC 5922 (TLS peer names).
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>

#include "gateway/base/clock.hpp"
#include "gateway/net/peer_check.hpp"
#include "sip/codec/limits.hpp"

namespace fedgate::sip {

// True when a TLS peer with this (already chain-checked) certificate may connect. It sees the
// subject and the DNS-IDs; the Node backs it with the tls_peer_subjects policy table.
using SubjectFilter = std::function<bool(const gateway::CertificateInfo&)>;

struct TransportConfig {
  Duration handshake_timeout = std::chrono::seconds(10);
  Duration idle_timeout = std::chrono::minutes(5);   // no byte received for this long: close
  Duration close_timeout = std::chrono::seconds(2);  // for close_notify and flushing
  Duration connect_timeout = std::chrono::seconds(10);
  std::size_t max_connections_per_address = 64;  // inbound, per remote IP address
  std::size_t mailbox_capacity = 256;            // messages queued for writing
  Limits limits;
  SubjectFilter allow_subject;  // empty: every chain-verified peer is allowed
};

}  // namespace fedgate::sip
