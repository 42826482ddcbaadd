// Open federation: the default route ".*" enables discovery; blocking it stops new
// discoveries while cached domains keep working until removed from the cache.
#include <gtest/gtest.h>

#include "presence/policy_snapshot.hpp"
#include "tests/unit/presence/router/policy_fixture.hpp"

namespace fedgate::presence {
namespace {

using testing_support::base_rows;

PolicyRows with_default_route(bool blocked) {
  auto rows = base_rows();
  StaticRouteRow route;
  route.pattern = ".*";
  route.blocked = blocked;
  rows.static_routes.push_back(route);
  rows.open_federation_cache = {{"found-xmpp.example", Protocol::xmpp},
                                {"found-sip.example", Protocol::sip}};
  return rows;
}

TEST(OpenFederation, UnblockedDefaultRouteDiscoversUnknownDomains) {
  PolicySnapshot policy{with_default_route(false)};
  EXPECT_TRUE(policy.discovery_enabled());
  EXPECT_EQ(policy.classify("stranger.example").kind, DomainKind::needs_discovery);
  EXPECT_EQ(policy.may_send("corp.example", "stranger.example").reason, "discovery_required");
}

TEST(OpenFederation, CachedDomainsWorkInBothProtocols) {
  PolicySnapshot policy{with_default_route(false)};
  EXPECT_EQ(policy.classify("found-sip.example"),
            (DomainClass{DomainKind::open_federation, Protocol::sip}));
  EXPECT_TRUE(policy.may_send("corp.example", "found-sip.example").allowed);
  EXPECT_TRUE(policy.may_send("found-xmpp.example", "lync.example").allowed);  // default deny
}

TEST(OpenFederation, BlockedDefaultRouteStopsDiscoveryButKeepsCache) {
  PolicySnapshot policy{with_default_route(true)};
  EXPECT_FALSE(policy.discovery_enabled());
  EXPECT_EQ(policy.classify("stranger.example").kind, DomainKind::unknown);
  EXPECT_TRUE(policy.may_send("corp.example", "found-xmpp.example").allowed);
}

TEST(OpenFederation, RemovedFromCacheStopsWorking) {
  auto rows = with_default_route(true);
  rows.open_federation_cache.clear();
  PolicySnapshot policy{rows};
  EXPECT_EQ(policy.may_send("corp.example", "found-xmpp.example").reason, "domain_not_federated");
}

TEST(OpenFederation, ExplicitExceptionStillBlocksCachedXmppDomain) {
  auto rows = with_default_route(false);
  rows.xmpp_default = PolicyDefault::allow;
  rows.xmpp_exceptions.push_back({"found-xmpp.example", Direction::all});
  PolicySnapshot policy{rows};
  EXPECT_EQ(policy.may_send("corp.example", "found-xmpp.example").reason, "xmpp_policy_exception");
}

TEST(OpenFederation, SettingDecidesWhenThereIsNoDefaultRouteRow) {
  auto rows = base_rows();
  rows.settings.open_federation = true;
  EXPECT_TRUE(PolicySnapshot{rows}.discovery_enabled());
  rows.settings.open_federation = false;
  EXPECT_FALSE(PolicySnapshot{rows}.discovery_enabled());
}

}  // namespace
}  // namespace fedgate::presence
