// Subscription state kept in PostgreSQL survives a restart: a node's subscriptions and cached
// presence go through PgSubscriptionStore / PgPresenceCacheStore, a new process (new pool,
// new SubscriptionMachine) restores them from the database, and presence flows at once.
#include <gtest/gtest.h>

#include "gateway/store/db_pool.hpp"
#include "gateway/store/pg_presence_cache_store.hpp"
#include "gateway/store/pg_subscription_store.hpp"
#include "tests/support/pg/test_postgres.hpp"
#include "tests/unit/presence/router/fake_switchboard.hpp"
#include "tests/unit/presence/router/policy_fixture.hpp"

namespace fedgate::gateway {
namespace {

using namespace presence;
using testing_support::addr;
using testing_support::base_rows;
using testing_support::FakeSwitchboard;

const Address kJuliet = addr("juliet@corp.example");        // local, XMPP home
const Address kRomeo = addr("romeo@partner-lync.example");  // SIP partner

// Persists what a node's switchboard stored, through the PostgreSQL ports.
void persist(FakeSwitchboard& node, SubscriptionStore& subs, PresenceCacheStore& cache) {
  auto rows = node.subscription_store.load_all();  // keep the result alive for the loop
  ASSERT_TRUE(rows.has_value());
  for (auto s : rows.value()) {
    s.id = 0;
    ASSERT_TRUE(subs.save(s).has_value());
  }
  auto cached = node.presence_store.load_all();
  ASSERT_TRUE(cached.has_value());
  for (const auto& p : cached.value()) {
    ASSERT_TRUE(cache.put(p).has_value());
  }
}

class RouterRestart : public test::PgTest {
 protected:
  MetricsRegistry metrics_;
};

TEST_F(RouterRestart, RestoredFromPostgresPresenceFlowsWithoutResubscribing) {
  FakeSwitchboard before{base_rows()};
  before.subscription({SubscriptionAction::subscribe, kJuliet, kRomeo, "s1"});
  before.sip_state({kJuliet, kRomeo, SubscriptionState::active, "",
                    WallTime{std::chrono::hours{1001}}, "dialog-a"});
  before.subscription({SubscriptionAction::subscribe, kRomeo, kJuliet, "s2"});
  before.subscription({SubscriptionAction::approve, kJuliet, kRomeo, "s3"});
  {
    DbPool pool(conninfo_, 1, Logger{}, metrics_);
    PgSubscriptionStore subs(pool);
    PgPresenceCacheStore cache(pool);
    persist(before, subs, cache);
  }  // the first node is gone
  DbPool pool(conninfo_, 1, Logger{}, metrics_);
  PgSubscriptionStore subs(pool);
  PgPresenceCacheStore cache(pool);
  FakeSwitchboard after{base_rows()};
  auto stored = subs.load_all();
  auto presence = cache.load_all();
  ASSERT_TRUE(stored.has_value() && presence.has_value());
  EXPECT_EQ(stored.value().size(), 2u);
  auto fx = after.subscriptions.restore(stored.value(), presence.value(), after.policy(),
                                        after.wall_now);
  ASSERT_EQ(after.subscriptions.size(), 2u);
  ASSERT_FALSE(fx.effects.empty());
  EXPECT_EQ(std::get<RefreshSubscription>(fx.effects[0]).subscription.sip_dialog, "dialog-a");
  after.presence(kRomeo, Availability::busy);
  after.presence(kJuliet, Availability::away);
  auto out = after.take();
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].to, kJuliet);
  EXPECT_EQ(out[1].to, kRomeo);
}

}  // namespace
}  // namespace fedgate::gateway
