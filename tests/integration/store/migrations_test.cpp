// Migrations against a real PostgreSQL: from empty, re-applied, and raced by two nodes.
#include <gtest/gtest.h>

#include <future>

#include "gateway/store/migrator.hpp"
#include "gateway/store/store_error.hpp"
#include "tests/support/pg/test_postgres.hpp"

namespace fedgate::gateway {
namespace {

using test::query_value;
using test::TestPostgres;

TEST(Migrations, ApplyFromEmptyRecordsEveryVersion) {
  auto conninfo = TestPostgres::instance().create_database(/*migrated=*/false);
  auto pending = pending_migrations(conninfo);
  ASSERT_TRUE(pending);
  EXPECT_EQ(pending->size(), all_migrations().size());
  auto applied = apply_migrations(conninfo, Logger{});
  ASSERT_TRUE(applied) << applied.error().message();
  EXPECT_EQ(applied->size(), all_migrations().size());
  EXPECT_EQ(query_value(conninfo, "SELECT count(*) FROM schema_migrations"),
            std::to_string(all_migrations().size()));
  EXPECT_EQ(query_value(conninfo, "SELECT name FROM schema_migrations WHERE version = 1"),
            "policy_tables");
  EXPECT_TRUE(pending_migrations(conninfo)->empty());
}

TEST(Migrations, ReapplyingIsANoOp) {
  auto conninfo = TestPostgres::instance().create_database(/*migrated=*/false);
  ASSERT_TRUE(apply_migrations(conninfo, Logger{}));
  auto version = query_value(conninfo, "SELECT version FROM policy_version");
  auto again = apply_migrations(conninfo, Logger{});
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->empty());
  EXPECT_EQ(query_value(conninfo, "SELECT version FROM policy_version"), version);
  EXPECT_EQ(query_value(conninfo, "SELECT count(*) FROM static_routes"), "1");
}

TEST(Migrations, TwoNodesMigratingAtOnceApplyEachVersionOnce) {
  auto conninfo = TestPostgres::instance().create_database(/*migrated=*/false);
  auto migrate = [&] { return apply_migrations(conninfo, Logger{}); };
  auto a = std::async(std::launch::async, migrate);
  auto b = std::async(std::launch::async, migrate);
  auto ra = a.get();
  auto rb = b.get();
  ASSERT_TRUE(ra);
  ASSERT_TRUE(rb);
  EXPECT_EQ(ra->size() + rb->size(), all_migrations().size());
  EXPECT_TRUE(ra->empty() || rb->empty());
}

TEST(Migrations, AFailingMigrationIsRolledBackAndReported) {
  auto conninfo = TestPostgres::instance().create_database(/*migrated=*/false);
  // A table in the way of migration 1 makes it fail; nothing of it may remain.
  test::exec_sql(conninfo, "CREATE TABLE settings (x int)");
  auto applied = apply_migrations(conninfo, Logger{});
  ASSERT_FALSE(applied);
  EXPECT_EQ(applied.error(), StoreErrc::migration_failed);
  EXPECT_EQ(query_value(conninfo, "SELECT to_regclass('local_domains')::text"), "");
  EXPECT_EQ(query_value(conninfo, "SELECT count(*) FROM schema_migrations"), "0");
}

}  // namespace
}  // namespace fedgate::gateway
