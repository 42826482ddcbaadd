#include "sip/transport/transport_types.hpp"

#include <fmt/format.h>

namespace fedgate::sip {

std::string_view to_string(Transport t) noexcept {
  return t == Transport::tls ? "tls" : t == Transport::udp ? "udp" : "tcp";
}

std::string_view to_string(Direction d) noexcept {
  return d == Direction::inbound ? "inbound" : "outbound";
}

std::string PeerKey::str() const {
  return fmt::format("{}:{};transport={}", host, port, to_string(transport));
}

}  // namespace fedgate::sip
