// The Resolver port: DNS SRV and A/AAAA lookups for both connection managers' discovery.
// Owned by gw_net; implementations: CaresResolver (c-ares), CachingResolver (TTL cache),
// FakeResolver in tests. Awaitable from any executor. RFC 2782 (SRV), RFC 1035.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/system/error_code.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "gateway/base/result.hpp"

namespace fedgate::gateway {

enum class ResolverErrc {
  not_found = 1,   // NXDOMAIN
  no_data,         // the name exists but has no record of that type
  timeout,         // no answer from any server in time
  server_failure,  // SERVFAIL, REFUSED, NOTIMP, or no server reachable (c-ares reports
                   // a SERVFAIL from every server as ECONNREFUSED)
  bad_response,    // malformed answer
  bad_name,
  bad_server,  // the configured DNS server list cannot be parsed
  cancelled,   // the resolver was destroyed or the lookup cancelled
  other,
};
const boost::system::error_category& resolver_category() noexcept;
boost::system::error_code make_error_code(ResolverErrc e) noexcept;

struct SrvTarget {
  std::string host;  // "." means the service is decidedly not available (RFC 2782)
  std::uint16_t port = 0;
  std::uint16_t priority = 0;
  std::uint16_t weight = 0;
  std::uint32_t ttl = 0;
  friend bool operator==(const SrvTarget&, const SrvTarget&) = default;
};

struct AddressRecord {
  boost::asio::ip::address address;
  std::uint32_t ttl = 0;
  friend bool operator==(const AddressRecord&, const AddressRecord&) = default;
};

// The services fedgate discovers.
enum class SrvService { xmpps_server, xmpp_server, sipfederationtls, sips, sip_tls };
// "_xmpp-server._tcp.example.com" etc. (`_sip._tls.example.com` for sip_tls).
std::string srv_name(SrvService service, std::string_view domain);

class Resolver {
 public:
  virtual ~Resolver() = default;
  // `name` is the full owner name, e.g. srv_name(SrvService::xmpp_server, "example.com").
  // Answers in DNS order; order them with order_srv_targets().
  virtual boost::asio::awaitable<result<std::vector<SrvTarget>>> resolve_srv(std::string name) = 0;
  // A and AAAA together (IPv4 first); not_found/no_data only when both have nothing.
  // An IP literal is returned as is.
  virtual boost::asio::awaitable<result<std::vector<AddressRecord>>> resolve_host(
      std::string host) = 0;
};

}  // namespace fedgate::gateway

template <>
struct boost::system::is_error_code_enum<fedgate::gateway::ResolverErrc> : std::true_type {};
