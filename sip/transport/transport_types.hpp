// Vocabulary of the SIP transport: which transport, which direction, and the peer key the
// connection pool indexes by (host, port, transport). Owned by sip_net; plain values, any
// thread. RFC 3261 §18 (transports), RFC 5923 §4 (connection reuse).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace fedgate::sip {

enum class Transport { tcp, tls, udp };
enum class Direction { inbound, outbound };

std::string_view to_string(Transport t) noexcept;
std::string_view to_string(Direction d) noexcept;

// A peer as the pool knows it. Port 0 matches any port: inbound connections are registered
// under the peer's certificate names and address with port 0, since their source port is
// ephemeral (RFC 5923 §4: the connection is reused for requests to that peer).
struct PeerKey {
  // A constructor, not aggregate initialisation: GCC 12 destroys the members of a
  // brace-initialised aggregate twice in some coroutine bodies.
  PeerKey() = default;
  PeerKey(std::string h, std::uint16_t p, Transport t)
      : host(std::move(h)), port(p), transport(t) {}

  std::string host;  // lower-case FQDN or IP literal
  std::uint16_t port = 0;
  Transport transport = Transport::tls;

  std::string str() const;  // "host:port;transport=tls"
  friend auto operator<=>(const PeerKey&, const PeerKey&) = default;
};

}  // namespace fedgate::sip
