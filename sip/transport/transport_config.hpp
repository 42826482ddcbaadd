// Settings of the SIP transport: timeouts, limits, keep-alives, the TLS peer-subject
// allow-list and the incoming ACL. Owned by the Node (config), read-only for every
// connection; any executor. RFC 3261 §18, RFC 5626 §3.5.1/§4.4.1, MS-CONMGMT §2.2.1.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>

#include "gateway/base/clock.hpp"
#include "gateway/net/peer_check.hpp"
#include "sip/codec/limits.hpp"
#include "sip/transport/incoming_acl.hpp"

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
  // Messages queued for writing on one connection. Large enough for a burst (the write loop
  // drains everything queued into one write); a send beyond it fails with mailbox_full and is
  // counted (refusals_total{reason="mailbox_full"}) and logged by the connection.
  std::size_t mailbox_capacity = 4096;
  Limits limits;
  SubjectFilter allow_subject;  // empty: every chain-verified peer is allowed
  // Checked on every accepted connection after the TLS peer check; empty admits everyone.
  // The Node backs it with the policy's incoming_acl rows (acl_admits).
  IncomingAcl incoming_acl;
  // Optional PTR lookup, asked only when the address and certificate did not match.
  ReverseLookup reverse_lookup;

  // RFC 5626 §4.4.1: on connections we opened, "\r\n\r\n" once nothing was received for
  // this long (zero: never), and the connection is closed when no byte (the "\r\n" pong)
  // follows within keep_alive_timeout.
  Duration keep_alive_interval = std::chrono::seconds(90);
  Duration keep_alive_timeout = std::chrono::seconds(10);
  // MS-CONMGMT: offer "Ms-Keep-Alive: UAC;hop-hop=yes" in requests on connections we opened,
  // and the timeout (seconds) our UAS answers announce. A peer that offered hop-hop
  // keep-alives gets that long plus kKeepAliveGrace before its silent connection is closed.
  bool ms_keep_alive_offer = true;
  std::uint32_t ms_keep_alive_timeout = 300;

  // RFC 3261 §18.1.1: a UDP request larger than this (MTU 1500 - 200) is refused with
  // TransportErrc::message_too_large so that the caller sends it over TCP.
  std::size_t max_datagram_size = 1300;
};

inline constexpr Duration kKeepAliveGrace = std::chrono::seconds(30);

}  // namespace fedgate::sip
