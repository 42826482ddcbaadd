// PgPresenceCacheStore against a real PostgreSQL: presence survives a restart, endpoints
// included, and an older document never overwrites a newer one (MS-PRES publishTime).
#include "gateway/store/pg_presence_cache_store.hpp"

#include <gtest/gtest.h>

#include "tests/support/pg/test_postgres.hpp"

namespace fedgate::gateway {
namespace {

using presence::Address;
using presence::Availability;
using presence::Presence;

presence::WallTime at(int seconds) {
  return presence::WallTime{std::chrono::seconds{1'700'000'000 + seconds}};
}

Presence make_presence(Availability a, const char* note, int published) {
  Presence p;
  p.entity = Address::parse("bob@partner.example").value();
  p.availability = a;
  p.status_text = note;
  p.publish_time = at(published);
  p.endpoints.push_back({"epid-1", a, note, 1, 6500, at(published)});
  p.endpoints.push_back({"laptop", Availability::away, "", 0, std::nullopt, std::nullopt});
  return p;
}

class PgPresenceCacheStoreTest : public test::PgTest {
 protected:
  MetricsRegistry metrics_;
};

TEST_F(PgPresenceCacheStoreTest, ANewStoreReadsWhatWasPut) {
  auto busy = make_presence(Availability::busy, "in a meeting", 10);
  {
    DbPool pool{conninfo_, 1, Logger{}, metrics_};
    ASSERT_TRUE(PgPresenceCacheStore{pool}.put(busy).value());
  }
  DbPool pool{conninfo_, 1, Logger{}, metrics_};  // the restarted node
  PgPresenceCacheStore store{pool};
  EXPECT_EQ(store.get(busy.entity).value(), busy);
  ASSERT_EQ(store.load_all().value().size(), 1u);
  EXPECT_EQ(store.load_all().value()[0], busy);
}

TEST_F(PgPresenceCacheStoreTest, AnOlderDocumentNeverOverwritesANewerOne) {
  DbPool pool{conninfo_, 1, Logger{}, metrics_};
  PgPresenceCacheStore store{pool};
  auto newer = make_presence(Availability::busy, "newer", 20);
  ASSERT_TRUE(store.put(newer).value());
  EXPECT_FALSE(store.put(make_presence(Availability::available, "older", 10)).value());
  EXPECT_EQ(store.get(newer.entity).value(), newer);
  auto newest = make_presence(Availability::away, "newest", 30);
  EXPECT_TRUE(store.put(newest).value());
  EXPECT_EQ(store.get(newer.entity).value(), newest);
}

TEST_F(PgPresenceCacheStoreTest, RemoveForgetsTheEntityAndItsEndpoints) {
  DbPool pool{conninfo_, 1, Logger{}, metrics_};
  PgPresenceCacheStore store{pool};
  auto p = make_presence(Availability::busy, "x", 1);
  ASSERT_TRUE(store.put(p));
  ASSERT_TRUE(store.remove(p.entity));
  EXPECT_FALSE(store.get(p.entity).value().has_value());
  EXPECT_EQ(test::query_value(conninfo_, "SELECT count(*) FROM presence_cache_endpoints"), "0");
}

}  // namespace
}  // namespace fedgate::gateway
