// PgPresenceCacheStore::put_all against a real PostgreSQL: many documents in one transaction
// (the publish-time rule per document, an entity repeated within the batch as if put in order,
// endpoints shrinking), an empty batch, a batch that fails as a whole, and exact text round trip.
#include <gtest/gtest.h>

#include <memory>

#include "gateway/store/pg_presence_cache_store.hpp"
#include "tests/support/pg/test_postgres.hpp"

namespace fedgate::gateway {
namespace {

using presence::Availability;
using presence::Presence;

presence::WallTime at(int seconds) {
  return presence::WallTime{std::chrono::seconds{1'700'000'000 + seconds}};
}

Presence doc(const std::string& user, const std::string& note, int published, int endpoints = 1) {
  Presence p;
  p.entity = presence::Address::parse(user + "@partner.example").value();
  p.availability = Availability::busy;
  p.status_text = note;
  p.publish_time = at(published);
  for (int i = 0; i < endpoints; ++i) {
    p.endpoints.push_back({"ep" + std::to_string(i), Availability::away, note, i,
                           i == 0 ? std::optional<int>{6500} : std::nullopt, at(published)});
  }
  return p;
}

class PgPresenceCacheBatchTest : public test::PgTest {
 protected:
  void SetUp() override {
    PgTest::SetUp();
    pool_ = std::make_unique<DbPool>(conninfo_, 1, Logger{}, metrics_);
    store_ = std::make_unique<PgPresenceCacheStore>(*pool_);
  }
  std::optional<Presence> get(const std::string& user) {
    return store_->get(presence::Address::parse(user + "@partner.example").value()).value();
  }
  std::string endpoints() {
    return test::query_value(conninfo_, "SELECT count(*) FROM presence_cache_endpoints");
  }
  MetricsRegistry metrics_;
  std::unique_ptr<DbPool> pool_;
  std::unique_ptr<PgPresenceCacheStore> store_;
};

TEST_F(PgPresenceCacheBatchTest, ManyDocumentsAreWrittenAndStaleOnesAreNotCounted) {
  std::vector<Presence> batch;
  for (int i = 0; i < 200; ++i) {
    batch.push_back(doc("u" + std::to_string(i), "first", 10, 2));
  }
  EXPECT_EQ(store_->put_all(batch).value(), 200u);
  EXPECT_EQ(endpoints(), "400");
  // u0 newer with fewer endpoints; u1 older (stale, kept); u2 without publish time (written).
  auto no_time = doc("u2", "untimed", 0, 3);
  no_time.publish_time.reset();
  EXPECT_EQ(store_->put_all({doc("u0", "newer", 20, 1), doc("u1", "older", 5, 1), no_time}).value(),
            2u);
  EXPECT_EQ(get("u0"), doc("u0", "newer", 20, 1));
  EXPECT_EQ(get("u1"), doc("u1", "first", 10, 2));
  EXPECT_EQ(get("u2"), no_time);
  EXPECT_EQ(endpoints(), "400");  // -1 (u0) +1 (u2)
}

TEST_F(PgPresenceCacheBatchTest, AnEntityRepeatedInOneBatchActsAsPutInOrder) {
  auto written = store_->put_all({doc("bob", "a", 10, 3), doc("bob", "b", 30, 1),
                                  doc("bob", "stale", 20, 2), doc("eve", "e", 1, 1)});
  EXPECT_EQ(written.value(), 3u);
  EXPECT_EQ(get("bob"), doc("bob", "b", 30, 1));
  EXPECT_EQ(get("eve"), doc("eve", "e", 1, 1));
  EXPECT_EQ(endpoints(), "2");
}

TEST_F(PgPresenceCacheBatchTest, AnEmptyBatchWritesNothing) {
  EXPECT_EQ(store_->put_all({}).value(), 0u);
  EXPECT_EQ(store_->load_all().value().size(), 0u);
}

TEST_F(PgPresenceCacheBatchTest, ABatchWithOneBadDocumentFailsAsAWhole) {
  ASSERT_TRUE(store_->put(doc("bob", "old", 10, 2)));
  auto bad = doc("carol", "not UTF-8: \xff", 10, 1);  // refused by the UTF8 database
  EXPECT_FALSE(store_->put_all({doc("bob", "new", 20, 1), doc("dave", "d", 1), bad}));
  EXPECT_EQ(get("bob"), doc("bob", "old", 10, 2));
  EXPECT_FALSE(get("dave").has_value());
  EXPECT_EQ(endpoints(), "2");
}

TEST_F(PgPresenceCacheBatchTest, QuotesBackslashesAndUnicodeRoundTripExactly) {
  auto odd = doc("odd", "say \"hi\" \\ {a,b} NULL 'x' ünïcødé 🙂\n\t", 10, 2);
  odd.endpoints[1].id = "NULL";
  odd.endpoints[0].id = " \\\"{}\" ";
  auto empty = doc("empty", "", 11, 1);
  empty.endpoints[0].id = "";
  EXPECT_EQ(store_->put_all({odd, empty}).value(), 2u);
  EXPECT_EQ(get("odd"), odd);
  EXPECT_EQ(get("empty"), empty);
}

}  // namespace
}  // namespace fedgate::gateway
