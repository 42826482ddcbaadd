// StaticRoutes: the administrator's static routes (table static_routes) indexed for lookup,
// with the reversed patterns administrators know (".com.example.*", ".*" for the default
// route), route type domain or user, priority/weight, blocked and in_service. Owned by the
// SipAgent's routing snapshot; immutable after construction, any thread. Pure.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "gateway/net/srv_order.hpp"
#include "sip/bridge/route_types.hpp"

namespace fedgate::sip {

// ".com.example" for "example.com": the domain's labels reversed, each preceded by a dot.
std::string reversed_domain(std::string_view domain);
// True when `pattern` matches `subject` (a reversed domain or a user part): "*" at the end
// matches any rest, including none at a label boundary (".com.example.*" matches
// ".com.example" and ".com.example.sip"); ".*" matches everything.
bool route_pattern_matches(std::string_view pattern, std::string_view subject);

// One row of the static_routes table as routing needs it. sip_net may not see the policy
// tables (STYLE.md B1): the node copies each row into this form.
enum class RouteProtocol { tls, tcp, udp };
enum class RouteType { domain, user };
struct StaticRouteRow {
  std::int64_t id = 0;
  std::string pattern;  // reversed form: ".com.example.*", ".*" for the default route
  std::string next_hop;
  std::uint16_t port = 0;
  RouteProtocol protocol = RouteProtocol::tls;
  RouteType type = RouteType::domain;
  int priority = 0;
  int weight = 0;
  bool blocked = false;
  bool in_service = true;
};

struct NoStaticRoute {};
struct BlockedRoute {
  std::int64_t route_id = 0;
};
using StaticRouteLookup = std::variant<NoStaticRoute, BlockedRoute, std::vector<NextHop>>;

class StaticRoutes {
 public:
  StaticRoutes() = default;
  explicit StaticRoutes(std::vector<StaticRouteRow> rows);

  // The most specific matching pattern wins (user routes before domain routes, then the
  // longest pattern). Its in-service rows give the next hops, ordered by priority and, within
  // one priority, by weight (RFC 2782 selection); a blocked row blocks the destination.
  StaticRouteLookup lookup(std::string_view user, std::string_view domain,
                           const gateway::SrvRandom& random) const;
  bool empty() const { return rows_.empty(); }

 private:
  std::vector<StaticRouteRow> rows_;
};

}  // namespace fedgate::sip
