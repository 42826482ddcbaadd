// write_sip_dialogs as one statement per batch, against a real PostgreSQL: a batch of many rows
// with deletes and re-inserts of the same usage (the last form wins), an empty batch, a batch
// that fails as a whole, and text with quotes, backslashes and unicode read back exactly.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>

#include "gateway/store/db_pool.hpp"
#include "gateway/store/pg_sip_dialog_store.hpp"
#include "tests/support/pg/test_postgres.hpp"

namespace fedgate::gateway {
namespace {

SipDialogRow row(std::string key, std::string state) {
  return SipDialogRow{std::move(key),     "subscriber", "alice@partner.example",
                      "bob@corp.example", false,        std::move(state)};
}

class PgSipDialogBatchTest : public test::PgTest {
 protected:
  void SetUp() override {
    PgTest::SetUp();
    pool_ = std::make_unique<DbPool>(conninfo_, 1, Logger{}, metrics_);
  }
  result<SipDialogWriteCount> write(const std::vector<SipDialogRow>& rows) {
    auto fn = [&rows](pqxx::connection& c) { return write_sip_dialogs(c, "node-a", rows); };
    return pool_->run_blocking(fn);
  }
  std::vector<SipDialogRow> load() {
    auto fn = [](pqxx::connection& c) { return load_sip_dialogs(c, "node-a"); };
    return pool_->run_blocking(fn).value();
  }
  std::string count() { return test::query_value(conninfo_, "SELECT count(*) FROM sip_dialogs"); }
  MetricsRegistry metrics_;
  std::unique_ptr<DbPool> pool_;
};

TEST_F(PgSipDialogBatchTest, ManyRowsWithDeletesAndReinsertsLeaveTheLastFormOfEach) {
  std::vector<SipDialogRow> first;
  for (int i = 0; i < 300; ++i) {
    first.push_back(row("k" + std::to_string(i), "s" + std::to_string(i)));
  }
  ASSERT_TRUE(write(first));
  // k0 deleted; k1 deleted then re-inserted; k2 rewritten twice; k3 written then deleted.
  auto second = write({row("k0", ""), row("k1", ""), row("k1", "back"), row("k2", "x"),
                       row("k2", "y"), row("k3", "z"), row("k3", ""), row("new", "n")});
  ASSERT_TRUE(second);
  EXPECT_EQ(second->upserts, 3u);  // k1, k2, new
  EXPECT_EQ(second->deletes, 2u);  // k0, k3
  EXPECT_EQ(count(), "299");
  auto rows = load();
  auto find = [&rows](const std::string& key) {
    auto it = std::find_if(rows.begin(), rows.end(), [&](auto& r) { return r.usage_key == key; });
    return it == rows.end() ? std::string{"(none)"} : it->state;
  };
  EXPECT_EQ(find("k0"), "(none)");
  EXPECT_EQ(find("k1"), "back");
  EXPECT_EQ(find("k2"), "y");
  EXPECT_EQ(find("k3"), "(none)");
  EXPECT_EQ(find("new"), "n");
  EXPECT_EQ(find("k299"), "s299");
}

TEST_F(PgSipDialogBatchTest, AnEmptyBatchWritesNothing) {
  ASSERT_TRUE(write({row("k", "s")}));
  auto empty = write({});
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->upserts + empty->deletes, 0u);
  EXPECT_EQ(load(), std::vector<SipDialogRow>{row("k", "s")});
}

TEST_F(PgSipDialogBatchTest, ABatchWithOneBadRowFailsAsAWhole) {
  ASSERT_TRUE(write({row("keep", "old"), row("gone", "old")}));
  auto bad = row("bad", "s");
  bad.watcher = "";  // sip_dialogs_watcher_present
  EXPECT_FALSE(write({row("keep", "new"), row("gone", ""), row("added", "s"), bad}));
  EXPECT_EQ(load(), (std::vector<SipDialogRow>{row("gone", "old"), row("keep", "old")}));
}

TEST_F(PgSipDialogBatchTest, QuotesBackslashesAndUnicodeRoundTripExactly) {
  auto odd = row("a\"1\\,{}", "line 1\nquote \" back \\ brace {a,b} NULL\t'x'");
  odd.watcher = "\"ålice\"@partner.example";
  odd.presentity = "NULL";
  auto blank = row("b 2 ", " padded \\\\ ");
  blank.presentity = "Bob 🙂 \\\"";
  ASSERT_TRUE(write({odd, blank}));
  EXPECT_EQ(load(), (std::vector<SipDialogRow>{odd, blank}));
}

TEST_F(PgSipDialogBatchTest, AnUnchangedRowIsNotRewritten) {
  ASSERT_TRUE(write({row("k", "same")}));
  auto stamp = "SELECT updated_at::text || xmin::text FROM sip_dialogs WHERE usage_key = 'k'";
  auto before = test::query_value(conninfo_, stamp);
  ASSERT_TRUE(write({row("k", "same")}));
  EXPECT_EQ(test::query_value(conninfo_, stamp), before);
  ASSERT_TRUE(write({row("k", "changed")}));
  EXPECT_NE(test::query_value(conninfo_, stamp), before);
}

}  // namespace
}  // namespace fedgate::gateway
