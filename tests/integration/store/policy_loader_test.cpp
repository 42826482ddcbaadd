// load_policy against a real database: the seeded defaults and administrator rows.
#include "gateway/store/policy_loader.hpp"
#include "gateway/store/store_error.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <pqxx/pqxx>

#include "tests/support/pg/test_postgres.hpp"

namespace fedgate::gateway {
namespace {

using namespace fedgate::presence;

class PolicyLoader : public test::PgTest {
 protected:
  PolicyRows load() {
    pqxx::connection conn{conninfo_};
    auto rows = load_policy(conn);
    EXPECT_TRUE(rows);
    return rows ? *rows : PolicyRows{};
  }
};

const StateMapRow* find_row(const PolicyRows& rows, MapDirection dir, int low, const char* show) {
  auto it = std::find_if(rows.state_map.begin(), rows.state_map.end(), [&](const auto& r) {
    return r.direction == dir && (dir == MapDirection::xmpp_to_sip ? r.xmpp_show == show
                                                                   : r.range_low == low);
  });
  return it == rows.state_map.end() ? nullptr : &*it;
}

TEST_F(PolicyLoader, ReturnsTheSeededSettings) {
  auto rows = load();
  EXPECT_GE(rows.version, 1);
  EXPECT_EQ(rows.settings.xmpp_security, XmppSecurityMode::tls_required);
  EXPECT_TRUE(rows.settings.require_valid_peer_certificates);
  EXPECT_TRUE(rows.settings.sasl_external_inbound);
  EXPECT_TRUE(rows.settings.sasl_external_outbound);
  EXPECT_EQ(rows.settings.dialback_secret.size(), 64u);
  EXPECT_FALSE(rows.settings.email_for_federation);
  EXPECT_FALSE(rows.settings.open_federation);
  EXPECT_EQ(rows.xmpp_default, PolicyDefault::allow);
  EXPECT_TRUE(rows.local_domains.empty());
}

TEST_F(PolicyLoader, ReturnsTheBlockedDefaultRoute) {
  auto rows = load();
  ASSERT_EQ(rows.static_routes.size(), 1u);
  EXPECT_EQ(rows.static_routes[0].pattern, ".*");
  EXPECT_TRUE(rows.static_routes[0].blocked);
}

TEST_F(PolicyLoader, ReturnsTheDefaultStateMapBothWays) {
  auto rows = load();
  EXPECT_EQ(rows.state_map.size(), 13u);
  auto* brb = find_row(rows, MapDirection::sip_to_xmpp, 12000, "");
  ASSERT_NE(brb, nullptr);
  EXPECT_EQ(brb->range_high, 14999);
  EXPECT_EQ(brb->xmpp_show, "away");
  EXPECT_EQ(brb->status_text, "Be Right Back");
  auto* offline = find_row(rows, MapDirection::sip_to_xmpp, 18000, "");
  ASSERT_NE(offline, nullptr);
  EXPECT_EQ(offline->xmpp_show, "unavailable");
  EXPECT_EQ(find_row(rows, MapDirection::xmpp_to_sip, 0, "dnd")->availability, 6500);
  EXPECT_EQ(find_row(rows, MapDirection::xmpp_to_sip, 0, "xa")->availability, 15500);
  EXPECT_EQ(find_row(rows, MapDirection::xmpp_to_sip, 0, "")->availability, 3500);
}

TEST_F(PolicyLoader, ReturnsAdministratorRows) {
  test::exec_sql(conninfo_,
                 "INSERT INTO local_domains VALUES ('corp.example', 'sip', 'pool.corp.example', "
                 "5061, 'tls');"
                 "INSERT INTO sip_federated_domains VALUES ('p.example', 'lync', 'Partner');"
                 "INSERT INTO xmpp_policy_exceptions (pattern, direction) "
                 "VALUES ('*.x.example', 'outbound_only');"
                 "UPDATE xmpp_federation_policy SET default_action = 'deny';"
                 "INSERT INTO users VALUES ('alice@corp.example', 'alice@mail.example', 'Alice');"
                 "INSERT INTO user_policies (local_user, target, scope) "
                 "VALUES ('alice@corp.example', 'p.example', 'im')");
  auto rows = load();
  ASSERT_EQ(rows.local_domains.size(), 1u);
  EXPECT_EQ(rows.local_domains[0].home_protocol, Protocol::sip);
  EXPECT_EQ(rows.local_domains[0].home_port, 5061);
  ASSERT_EQ(rows.sip_federated_domains.size(), 1u);
  EXPECT_EQ(rows.sip_federated_domains[0].integration, SipIntegration::lync);
  ASSERT_EQ(rows.incoming_acl.size(), 1u);
  EXPECT_EQ(rows.incoming_acl[0].domain, "p.example");
  EXPECT_EQ(rows.xmpp_default, PolicyDefault::deny);
  EXPECT_EQ(rows.xmpp_exceptions.at(0).direction, Direction::outbound_only);
  EXPECT_EQ(rows.users.at(0).email, "alice@mail.example");
  EXPECT_EQ(rows.user_policies.at(0).scope, RuleScope::im);
}

TEST_F(PolicyLoader, ReportsABrokenConnectionAsUnavailable) {
  pqxx::connection conn{conninfo_};
  test::exec_sql(conninfo_, "SELECT pg_terminate_backend(" + std::to_string(conn.backendpid()) + ")");
  std::string detail;
  auto rows = load_policy(conn, &detail);
  ASSERT_FALSE(rows);
  EXPECT_EQ(rows.error(), StoreErrc::unavailable) << detail;
}

}  // namespace
}  // namespace fedgate::gateway
