// StreamConfig: everything an s2s stream state machine needs besides its inputs — security
// settings, parser limits, timeouts, and the predicates and id source it consults. Owned by
// the s2s pool (xmpp/transport), shared read-only by its streams; RFC 6120 §4, XEP-0220.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "gateway/base/clock.hpp"
#include "xmpp/codec/stream_parser.hpp"
#include "xmpp/stream/security.hpp"

namespace fedgate::xmpp {

struct StreamTimeouts {
  Duration handshake = std::chrono::seconds(60);     // header to first authenticated pair
  Duration idle = std::chrono::minutes(10);          // no stanza either way: close gracefully
  Duration whitespace = std::chrono::seconds(60);    // nothing written: send " " (RFC 6120 §4.6.1)
  Duration ping_interval = std::chrono::minutes(2);  // outbound: nothing read for this long
  Duration ping_timeout = std::chrono::seconds(30);  // no <a/> or pong: connection-timeout
  Duration close_timeout = std::chrono::seconds(10);  // waiting for the peer's </stream>
};

struct StreamConfig {
  SecuritySettings security;
  ParserLimits limits;
  StreamTimeouts timeouts;
  bool tls_available = true;           // a certificate for our domains is configured
  bool stream_management = true;       // XEP-0198 on s2s (offered inbound, used outbound)
  std::uint32_t sm_request_every = 5;  // outbound: send <r/> after this many unacked stanzas
  // Domains we serve or relay: a stanza's 'to' must satisfy it (RFC 6120 §4.9.3.6).
  std::function<bool(std::string_view domain)> serves;
  // Domains we are authoritative for (answer db:verify, originate dialback). Empty: serves.
  std::function<bool(std::string_view domain)> authoritative_for;
  // Per-partner profile of a peer domain; empty function or nullopt: defaults.
  std::function<std::optional<PartnerProfile>(std::string_view domain)> partner_profile;
  // Fresh, unpredictable stream ids (RFC 6120 §4.7.3); randomness is an input here.
  std::function<std::string()> new_stream_id;
};

}  // namespace fedgate::xmpp
