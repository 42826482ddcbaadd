// Static routes: reversed patterns, most specific match, user routes, blocked and out of
// service rows, priority/weight order.
#include "sip/bridge/static_routes.hpp"

#include <gtest/gtest.h>

namespace fedgate::sip {
namespace {

StaticRouteRow row(std::int64_t id, std::string pattern, std::string hop,
                             int priority = 0, int weight = 0) {
  StaticRouteRow r;
  r.id = id;
  r.pattern = std::move(pattern);
  r.next_hop = std::move(hop);
  r.port = 5061;
  r.priority = priority;
  r.weight = weight;
  return r;
}

const gateway::SrvRandom kFirst = [](std::uint32_t) { return 0u; };

TEST(StaticRoutes, ReversedDomainAndPatternMatching) {
  EXPECT_EQ(reversed_domain("sip.example.com"), ".com.example.sip");
  EXPECT_TRUE(route_pattern_matches(".com.example.*", ".com.example"));
  EXPECT_TRUE(route_pattern_matches(".com.example.*", ".com.example.sip"));
  EXPECT_FALSE(route_pattern_matches(".com.example.*", ".com.examples"));
  EXPECT_TRUE(route_pattern_matches(".com.example", ".com.example"));
  EXPECT_FALSE(route_pattern_matches(".com.example", ".com.example.sip"));
  EXPECT_TRUE(route_pattern_matches(".*", ".org.anything"));
}

TEST(StaticRoutes, MostSpecificPatternWinsOverTheDefaultRoute) {
  StaticRoutes routes{{row(1, ".*", "default.gw"), row(2, ".com.example.*", "edge.example.com"),
                       row(3, ".com.example.sip", "sip-only.example.com")}};
  auto hops = std::get<std::vector<NextHop>>(routes.lookup("bob", "example.com", kFirst));
  EXPECT_EQ(hops, (std::vector<NextHop>{{"edge.example.com", 5061, Transport::tls}}));
  hops = std::get<std::vector<NextHop>>(routes.lookup("bob", "sip.example.com", kFirst));
  EXPECT_EQ(hops.front().host, "sip-only.example.com");
  hops = std::get<std::vector<NextHop>>(routes.lookup("bob", "other.org", kFirst));
  EXPECT_EQ(hops.front().host, "default.gw");
}

TEST(StaticRoutes, BlockedRouteBlocksAndOutOfServiceRowsAreSkipped) {
  auto blocked = row(7, ".net.spam.*", "x");
  blocked.blocked = true;
  auto down = row(8, ".org.partner.*", "down.partner.org");
  down.in_service = false;
  StaticRoutes routes{{blocked, down}};
  EXPECT_EQ(std::get<BlockedRoute>(routes.lookup("a", "mail.spam.net", kFirst)).route_id, 7);
  EXPECT_TRUE(std::holds_alternative<NoStaticRoute>(routes.lookup("a", "partner.org", kFirst)));
  EXPECT_TRUE(std::holds_alternative<NoStaticRoute>(StaticRoutes{}.lookup("a", "b.c", kFirst)));
}

TEST(StaticRoutes, SamePatternRowsAreOrderedByPriorityThenWeight) {
  StaticRoutes routes{{row(1, ".com.example.*", "backup", 20), row(2, ".com.example.*", "main", 10),
                       row(3, ".com.example.*", "second", 10, 0)}};
  auto hops = std::get<std::vector<NextHop>>(routes.lookup("bob", "example.com", kFirst));
  ASSERT_EQ(hops.size(), 3u);
  EXPECT_EQ(hops[2].host, "backup");  // priority 20 after both priority-10 rows
  EXPECT_NE(hops[0].host, "backup");
}

TEST(StaticRoutes, UserRouteBeatsDomainRoute) {
  auto user = row(5, "+1555*", "pstn.gw");
  user.type = RouteType::user;
  StaticRoutes routes{{row(1, ".com.example.*", "edge"), user}};
  auto hops = std::get<std::vector<NextHop>>(routes.lookup("+15551234", "example.com", kFirst));
  EXPECT_EQ(hops.front().host, "pstn.gw");
  hops = std::get<std::vector<NextHop>>(routes.lookup("alice", "example.com", kFirst));
  EXPECT_EQ(hops.front().host, "edge");
}

}  // namespace
}  // namespace fedgate::sip
