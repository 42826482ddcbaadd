// RouteResolver: the next hops for a SIP request. A Route header (a dialog's route set)
// wins; then static routes (which override DNS); then DNS SRV _sipfederationtls._tcp.D,
// _sips._tcp.D, _sip._tls.D (RFC 2782 order), then D itself on 5061 (RFC 3263 §4.2).
// Owned by the SipAgent; awaitable from its strand; the Resolver port does the lookups.
#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <memory>
#include <optional>
#include <vector>

#include "gateway/base/result.hpp"
#include "gateway/net/resolver.hpp"
#include "gateway/net/srv_order.hpp"
#include "sip/bridge/route_types.hpp"
#include "sip/bridge/static_routes.hpp"
#include "sip/codec/message.hpp"

namespace fedgate::sip {

class RouteResolver {
 public:
  RouteResolver(gateway::Resolver& resolver, gateway::SrvRandom random);

  // Swapped when the policy changes (any thread: the edge's strand replaces what the agent's
  // strand reads); one lookup uses one snapshot.
  void set_static_routes(std::shared_ptr<const StaticRoutes> routes) {
    routes_.store(std::move(routes));
  }
  std::shared_ptr<const StaticRoutes> static_routes() const { return routes_.load(); }

  // Every target to try, in order (the next on failure). Errors: RouteErrc.
  boost::asio::awaitable<result<std::vector<NextHop>>> next_hops(const Request& request);
  // The same without waiting: nullopt when only DNS can tell (then await next_hops).
  std::optional<result<std::vector<NextHop>>> next_hops_now(const Request& request);
  // The DNS part alone, for a domain or host name (RFC 3263 §4.2 with the Microsoft service
  // first). An IP literal, or a host with an explicit port, is used as is.
  boost::asio::awaitable<result<std::vector<NextHop>>> locate(std::string host,
                                                              std::optional<std::uint16_t> port);

 private:
  gateway::Resolver& resolver_;
  gateway::SrvRandom random_;
  std::atomic<std::shared_ptr<const StaticRoutes>> routes_;
};

}  // namespace fedgate::sip
