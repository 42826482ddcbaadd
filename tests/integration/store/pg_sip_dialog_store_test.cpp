// sip_dialogs (schema/0006) against a real PostgreSQL: rows survive a new pool (the restarted
// node), a later write of the same usage replaces it, an empty state deletes it, and each node
// reads only its own rows.
#include "gateway/store/pg_sip_dialog_store.hpp"

#include <gtest/gtest.h>

#include "gateway/store/db_pool.hpp"
#include "tests/support/pg/test_postgres.hpp"

namespace fedgate::gateway {
namespace {

SipDialogRow row(std::string key, std::string state) {
  return SipDialogRow{std::move(key),     "notifier", "alice@partner.example",
                      "bob@corp.example", true,       std::move(state)};
}

class PgSipDialogStoreTest : public test::PgTest {
 protected:
  template <class F>
  auto with_pool(F fn) {
    DbPool pool{conninfo_, 1, Logger{}, metrics_};
    return pool.run_blocking(fn).value();
  }
  MetricsRegistry metrics_;
};

TEST_F(PgSipDialogStoreTest, ANewPoolReadsWhatWasWritten) {
  std::vector<SipDialogRow> rows{row("n:c1@x:t1", "U1\nn\nN1\n"), row("n:c2@x:t2", "U1\nn\nN2\n")};
  auto count = with_pool([&](pqxx::connection& c) { return write_sip_dialogs(c, "node-a", rows); });
  EXPECT_EQ(count.upserts, 2u);
  auto loaded = with_pool([](pqxx::connection& c) { return load_sip_dialogs(c, "node-a"); });
  EXPECT_EQ(loaded, rows);
}

TEST_F(PgSipDialogStoreTest, ALaterWriteReplacesAndAnEmptyStateDeletes) {
  with_pool([](pqxx::connection& c) {
    return write_sip_dialogs(c, "node-a", {row("k1", "first"), row("k2", "other")});
  });
  auto count = with_pool([](pqxx::connection& c) {
    return write_sip_dialogs(c, "node-a", {row("k1", "second"), row("k2", "")});
  });
  EXPECT_EQ(count.upserts, 1u);
  EXPECT_EQ(count.deletes, 1u);
  auto loaded = with_pool([](pqxx::connection& c) { return load_sip_dialogs(c, "node-a"); });
  ASSERT_EQ(loaded.size(), 1u);
  EXPECT_EQ(loaded[0].state, "second");
}

TEST_F(PgSipDialogStoreTest, EachNodeReadsAndDeletesOnlyItsOwnRows) {
  with_pool([](pqxx::connection& c) { return write_sip_dialogs(c, "node-a", {row("k", "a")}); });
  with_pool([](pqxx::connection& c) { return write_sip_dialogs(c, "node-b", {row("k", "b")}); });
  auto deleted = with_pool([](pqxx::connection& c) {
    return delete_sip_dialogs(c, "node-b", {"k", "missing"});
  });
  EXPECT_EQ(deleted, 1u);
  auto a = with_pool([](pqxx::connection& c) { return load_sip_dialogs(c, "node-a"); });
  auto b = with_pool([](pqxx::connection& c) { return load_sip_dialogs(c, "node-b"); });
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].state, "a");
  EXPECT_TRUE(b.empty());
}

TEST_F(PgSipDialogStoreTest, TheKindAndAnEmptyNodeAreRefusedByNamedConstraints) {
  auto bad_kind = row("k", "s");
  bad_kind.kind = "session";
  DbPool pool{conninfo_, 1, Logger{}, metrics_};
  auto write_bad = [&](pqxx::connection& c) { return write_sip_dialogs(c, "node-a", {bad_kind}); };
  EXPECT_FALSE(pool.run_blocking(write_bad).has_value());
  auto write_no_node = [&](pqxx::connection& c) {
    return write_sip_dialogs(c, "", {row("k", "s")});
  };
  EXPECT_FALSE(pool.run_blocking(write_no_node).has_value());
}

}  // namespace
}  // namespace fedgate::gateway
