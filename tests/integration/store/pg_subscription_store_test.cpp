// PgSubscriptionStore against a real PostgreSQL: what is saved is restored by a new store
// (a restarted node), with the port's contract (pair uniqueness, not_found, idempotent remove).
#include "gateway/store/pg_subscription_store.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "tests/support/pg/test_postgres.hpp"

namespace fedgate::gateway {
namespace {

using presence::Address;
using presence::PortErrc;
using presence::Subscription;
using presence::SubscriptionState;

Subscription make_subscription(const char* watcher, const char* presentity) {
  Subscription s;
  s.watcher = Address::parse(watcher).value();
  s.presentity = Address::parse(presentity).value();
  s.state = SubscriptionState::active;
  s.watcher_is_local = true;
  s.expires = std::chrono::time_point_cast<std::chrono::microseconds>(
      std::chrono::system_clock::now() + std::chrono::hours(1));
  s.sip_dialog = "call-id=abc;local-tag=1;remote-tag=2;cseq=7";
  return s;
}

class PgSubscriptionStoreTest : public test::PgTest {
 protected:
  MetricsRegistry metrics_;
};

TEST_F(PgSubscriptionStoreTest, ANewStoreRestoresWhatWasSaved) {
  auto alice = make_subscription("alice@corp.example", "bob@partner.example");
  auto carol = make_subscription("carol@partner.example", "dave@corp.example");
  carol.state = SubscriptionState::polite_block;
  carol.watcher_is_local = false;
  carol.expires = {};
  carol.sip_dialog.clear();
  {
    DbPool pool{conninfo_, 1, Logger{}, metrics_};
    PgSubscriptionStore store{pool};
    alice.id = store.save(alice).value();
    carol.id = store.save(carol).value();
  }
  DbPool pool{conninfo_, 1, Logger{}, metrics_};  // the restarted node
  auto restored = PgSubscriptionStore{pool}.load_all();
  ASSERT_TRUE(restored);
  auto rows = restored.value();
  std::sort(rows.begin(), rows.end(), [](auto& a, auto& b) { return a.id < b.id; });
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], alice);
  EXPECT_EQ(rows[1], carol);
}

TEST_F(PgSubscriptionStoreTest, SavingTheSamePairAgainUpdatesItsRow) {
  DbPool pool{conninfo_, 1, Logger{}, metrics_};
  PgSubscriptionStore store{pool};
  auto s = make_subscription("alice@corp.example", "bob@partner.example");
  auto first = store.save(s).value();
  s.state = SubscriptionState::terminated;
  EXPECT_EQ(store.save(s).value(), first);  // id 0 again, same pair
  auto rows = store.load_all().value();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].state, SubscriptionState::terminated);
}

TEST_F(PgSubscriptionStoreTest, UpdateChangesStateExpiryAndDialog) {
  DbPool pool{conninfo_, 1, Logger{}, metrics_};
  PgSubscriptionStore store{pool};
  auto s = make_subscription("alice@corp.example", "bob@partner.example");
  s.id = store.save(s).value();
  s.state = SubscriptionState::pending;
  s.expires += std::chrono::minutes(5);
  s.sip_dialog = "refreshed";
  ASSERT_TRUE(store.update(s));
  EXPECT_EQ(store.load_all().value().at(0), s);
}

TEST_F(PgSubscriptionStoreTest, UpdatingAMissingRowIsNotFoundAndRemoveIsIdempotent) {
  DbPool pool{conninfo_, 1, Logger{}, metrics_};
  PgSubscriptionStore store{pool};
  auto s = make_subscription("alice@corp.example", "bob@partner.example");
  s.id = store.save(s).value();
  ASSERT_TRUE(store.remove(s.id));
  EXPECT_TRUE(store.remove(s.id));
  auto updated = store.update(s);
  ASSERT_FALSE(updated);
  EXPECT_EQ(updated.error(), PortErrc::not_found);
  EXPECT_TRUE(store.load_all().value().empty());
}

TEST_F(PgSubscriptionStoreTest, EachWriteRecordsTheNodeThatMadeIt) {
  DbPool pool{conninfo_, 1, Logger{}, metrics_};
  auto node_of = [&] {
    return test::query_value(conninfo_, "SELECT coalesce(string_agg(node_id, ','), '<null>') "
                                        "FROM subscriptions");
  };
  auto s = make_subscription("alice@corp.example", "bob@partner.example");
  s.id = PgSubscriptionStore{pool, "node-a"}.save(s).value();  // INSERT
  EXPECT_EQ(node_of(), "node-a");
  auto again = s;
  again.id = 0;
  EXPECT_EQ(PgSubscriptionStore(pool, "node-b").save(again).value(), s.id);  // ON CONFLICT
  EXPECT_EQ(node_of(), "node-b");
  EXPECT_EQ(PgSubscriptionStore(pool, "node-c").save(s).value(), s.id);  // UPDATE by id
  EXPECT_EQ(node_of(), "node-c");
  ASSERT_TRUE(PgSubscriptionStore(pool, "node-d").update(s));
  EXPECT_EQ(node_of(), "node-d");
}

TEST_F(PgSubscriptionStoreTest, AStoreWithoutANodeIdLeavesTheColumnNull) {
  DbPool pool{conninfo_, 1, Logger{}, metrics_};
  ASSERT_TRUE(PgSubscriptionStore{pool}.save(make_subscription("a@corp.example", "b@p.example")));
  EXPECT_EQ(test::query_value(conninfo_, "SELECT count(*) FROM subscriptions "
                                         "WHERE node_id IS NULL"),
            "1");
}

TEST_F(PgSubscriptionStoreTest, AnUnreachableDatabaseIsUnavailable) {
  DbPool pool{"host=/nonexistent-fedgate-dir port=1 user=x dbname=x", 1, Logger{}, metrics_};
  auto saved = PgSubscriptionStore{pool}.save(make_subscription("a@corp.example", "b@p.example"));
  ASSERT_FALSE(saved);
  EXPECT_EQ(saved.error(), PortErrc::unavailable);
}

}  // namespace
}  // namespace fedgate::gateway
