// StaticRoutes: the administrator's static routes (table static_routes) indexed for lookup,
// with the reversed patterns administrators know (".com.example.*", ".*" for the default
// route), route type domain or user, priority/weight, blocked and in_service. Owned by the
// SipAgent's routing snapshot; immutable after construction, any thread. Pure.
#pragma once

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "gateway/net/srv_order.hpp"
#include "presence/policy_rows.hpp"
#include "sip/bridge/route_types.hpp"

namespace fedgate::sip {

// ".com.example" for "example.com": the domain's labels reversed, each preceded by a dot.
std::string reversed_domain(std::string_view domain);
// True when `pattern` matches `subject` (a reversed domain or a user part): "*" at the end
// matches any rest, including none at a label boundary (".com.example.*" matches
// ".com.example" and ".com.example.sip"); ".*" matches everything.
bool route_pattern_matches(std::string_view pattern, std::string_view subject);

struct NoStaticRoute {};
struct BlockedRoute {
  std::int64_t route_id = 0;
};
using StaticRouteLookup = std::variant<NoStaticRoute, BlockedRoute, std::vector<NextHop>>;

class StaticRoutes {
 public:
  StaticRoutes() = default;
  explicit StaticRoutes(std::vector<presence::StaticRouteRow> rows);

  // The most specific matching pattern wins (user routes before domain routes, then the
  // longest pattern). Its in-service rows give the next hops, ordered by priority and, within
  // one priority, by weight (RFC 2782 selection); a blocked row blocks the destination.
  StaticRouteLookup lookup(std::string_view user, std::string_view domain,
                           const gateway::SrvRandom& random) const;
  bool empty() const { return rows_.empty(); }

 private:
  std::vector<presence::StaticRouteRow> rows_;
};

}  // namespace fedgate::sip
