// The embedded migrations: what the binary carries, without a database.
#include "gateway/store/migrator.hpp"

#include <gtest/gtest.h>

#include <set>

#include "gateway/store/store_error.hpp"

namespace fedgate::gateway {
namespace {

TEST(Migrations, AreEmbeddedInVersionOrderFromOne) {
  const auto& all = all_migrations();
  ASSERT_GE(all.size(), 3u);
  for (std::size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].version, static_cast<int>(i) + 1) << all[i].name;
    EXPECT_FALSE(all[i].name.empty());
  }
}

TEST(Migrations, CarryTheWholeSqlFile) {
  const auto& first = all_migrations().front();
  EXPECT_EQ(first.name, "policy_tables");
  // The file is longer than one 4000-byte chunk: the chunks must be joined in order.
  EXPECT_GT(first.sql.size(), 4000u);
  EXPECT_NE(first.sql.find("CREATE TABLE settings"), std::string::npos);
  EXPECT_NE(first.sql.find("CREATE TABLE nodes"), std::string::npos);
  EXPECT_EQ(first.sql.find("fedgate_sql"), std::string::npos);
}

TEST(Migrations, EveryPolicyTableBumpsThePolicyVersion) {
  std::string rules;
  for (const auto& m : all_migrations()) {
    rules += m.sql;
  }
  for (const char* table : {"'settings'", "'local_domains'", "'users'", "'sip_federated_domains'",
                            "'incoming_acl'", "'xmpp_federation_policy'",
                            "'xmpp_policy_exceptions'", "'static_routes'", "'tls_peer_subjects'",
                            "'presence_state_map'", "'user_policies'", "'xmpp_partner_profiles'",
                            "'open_federation_cache'"}) {
    EXPECT_NE(rules.find(table), std::string::npos) << table;
  }
}

TEST(Migrations, PendingReportsAnUnreachableDatabase) {
  auto pending = pending_migrations("host=/nonexistent-fedgate-socket-dir port=1 user=x");
  ASSERT_FALSE(pending);
  EXPECT_EQ(pending.error(), StoreErrc::unavailable);
}

TEST(Migrations, ApplyReportsAnUnreachableDatabase) {
  auto applied = apply_migrations("host=/nonexistent-fedgate-socket-dir port=1 user=x", Logger{});
  ASSERT_FALSE(applied);
  EXPECT_EQ(applied.error(), StoreErrc::unavailable);
}

}  // namespace
}  // namespace fedgate::gateway
