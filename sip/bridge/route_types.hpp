// Vocabulary of SIP routing: a next hop (host, port, transport) and why a request cannot be
// routed, as a boost::system category (STYLE.md B6). Owned by sip_net (sip/bridge); plain
// values, any thread. RFC 3263 §4 (locating a server), static routes of the policy tables.
#pragma once

#include <boost/system/error_category.hpp>
#include <boost/system/error_code.hpp>
#include <cstdint>
#include <string>
#include <type_traits>

#include "sip/transport/transport_types.hpp"

namespace fedgate::sip {

inline constexpr std::uint16_t kSipTlsPort = 5061;

struct NextHop {
  std::string host;  // lower-case FQDN or IP literal
  std::uint16_t port = kSipTlsPort;
  Transport transport = Transport::tls;
  friend bool operator==(const NextHop&, const NextHop&) = default;
};

enum class RouteErrc {
  blocked = 1,      // a static route blocks the destination: 403
  no_route,         // no static route, and DNS knows no SIP server for the domain: 404
  dns_failure,      // DNS did not answer (timeout, SERVFAIL): 503
  bad_destination,  // the Request-URI has no host (or is not a SIP URI): 416
  all_failed,       // every target was tried and none answered: 503 / 408
};
const boost::system::error_category& route_category() noexcept;
inline boost::system::error_code make_error_code(RouteErrc e) noexcept {
  return {static_cast<int>(e), route_category()};
}
// The SIP status for a routing failure (403, 404, 416 or 503).
int status_for(RouteErrc e) noexcept;

}  // namespace fedgate::sip

template <>
struct boost::system::is_error_code_enum<fedgate::sip::RouteErrc> : std::true_type {};
