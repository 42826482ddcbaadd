// Next hops for a SIP request: route set, static routes, then RFC 3263 DNS.
#include "sip/bridge/route_resolver.hpp"

#include <boost/asio/ip/address.hpp>

namespace fedgate::sip {
namespace {

namespace asio = boost::asio;

bool is_ip_literal(const std::string& host) {
  boost::system::error_code ec;
  std::string bare = host;
  if (bare.size() > 2 && bare.front() == '[' && bare.back() == ']') {
    bare = bare.substr(1, bare.size() - 2);
  }
  asio::ip::make_address(bare, ec);
  return !ec;
}

Transport transport_of(const Uri& uri) {
  auto t = uri.param("transport");
  if (uri.scheme == "sips" || !t || *t == "tls") {
    return Transport::tls;  // federation is TLS unless a URI says otherwise
  }
  return *t == "tcp" ? Transport::tcp : Transport::tls;
}

// RFC 3263 §4.2 with the Microsoft federation service first (DESIGN.md, Domains).
constexpr gateway::SrvService kSipServices[] = {
    gateway::SrvService::sipfederationtls, gateway::SrvService::sips, gateway::SrvService::sip_tls};

bool is_dns_failure(const boost::system::error_code& ec) {
  return ec == gateway::ResolverErrc::timeout || ec == gateway::ResolverErrc::server_failure;
}

}  // namespace

RouteResolver::RouteResolver(gateway::Resolver& resolver, gateway::SrvRandom random)
    : resolver_(resolver), random_(std::move(random)) {}

// Everything but DNS: the route set's top entry or the Request-URI, static routes first; an
// IP literal or a host with a port is used as is.
std::optional<result<std::vector<NextHop>>> RouteResolver::next_hops_now(const Request& request) {
  auto as_is = [](const Uri& u) -> std::optional<std::vector<NextHop>> {
    if (!u.port && !is_ip_literal(u.host)) {
      return std::nullopt;
    }
    return std::vector<NextHop>{{u.host, u.port.value_or(kSipTlsPort), Transport::tls}};
  };
  if (!request.route.empty()) {
    const Uri& top = request.route.front().uri;  // loose routing (§16.12, §12.2.1.1)
    auto hops = as_is(top);
    if (!hops) {
      return std::nullopt;
    }
    hops->front().transport = transport_of(top);
    return result<std::vector<NextHop>>(std::move(*hops));
  }
  const Uri& target = request.request_uri;
  if (!target.is_sip() || target.host.empty()) {
    return result<std::vector<NextHop>>(RouteErrc::bad_destination);
  }
  if (auto routes = routes_.load()) {  // one snapshot for this lookup
    auto found = routes->lookup(target.user, target.host, random_);
    if (std::holds_alternative<BlockedRoute>(found)) {
      return result<std::vector<NextHop>>(RouteErrc::blocked);
    }
    if (auto* hops = std::get_if<std::vector<NextHop>>(&found); hops && !hops->empty()) {
      return result<std::vector<NextHop>>(std::move(*hops));
    }
  }
  auto hops = as_is(target);
  if (!hops) {
    return std::nullopt;
  }
  return result<std::vector<NextHop>>(std::move(*hops));
}

asio::awaitable<result<std::vector<NextHop>>> RouteResolver::next_hops(const Request& request) {
  if (auto now = next_hops_now(request)) {
    co_return std::move(*now);
  }
  const Uri& target = request.route.empty() ? request.request_uri : request.route.front().uri;
  auto hops = co_await locate(target.host, target.port);
  if (hops && !request.route.empty()) {
    for (auto& hop : *hops) {
      hop.transport = transport_of(target);
    }
  }
  co_return hops;
}

asio::awaitable<result<std::vector<NextHop>>> RouteResolver::locate(
    std::string host, std::optional<std::uint16_t> port) {
  if (port || is_ip_literal(host)) {
    co_return std::vector<NextHop>{{host, port.value_or(kSipTlsPort), Transport::tls}};
  }
  bool dns_failed = false;
  for (auto service : kSipServices) {
    auto answer = co_await resolver_.resolve_srv(gateway::srv_name(service, host));
    if (!answer) {
      dns_failed = dns_failed || is_dns_failure(answer.error());
      continue;
    }
    if (gateway::srv_service_unavailable(*answer)) {
      co_return RouteErrc::no_route;  // RFC 2782 ".": decidedly not available
    }
    std::vector<NextHop> hops;
    for (auto& t : gateway::order_srv_targets(std::move(*answer), random_)) {
      hops.push_back({t.host, t.port, Transport::tls});
    }
    co_return hops;
  }
  auto addresses = co_await resolver_.resolve_host(host);
  if (addresses && !addresses->empty()) {
    co_return std::vector<NextHop>{{host, kSipTlsPort, Transport::tls}};  // RFC 3263 §4.2
  }
  if (dns_failed || (!addresses && is_dns_failure(addresses.error()))) {
    co_return RouteErrc::dns_failure;
  }
  co_return RouteErrc::no_route;
}

}  // namespace fedgate::sip
