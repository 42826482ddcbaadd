// EmbeddedPostgres: initdb, socket-only server, reuse after a killed node, stale pid files.
#include "gateway/store/embedded_postgres.hpp"
#include "gateway/store/store_error.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <pqxx/pqxx>

#include "tests/support/pg/test_postgres.hpp"

namespace fedgate::gateway {
namespace {

namespace fs = std::filesystem;

class Embedded : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "fedgate-embedded-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }
  EmbeddedPostgresOptions options(fs::path data) {
    return {.data_dir = std::move(data), .database = "fedgate", .fast_unsafe = true};
  }
  fs::path dir_;
};

TEST_F(Embedded, InitialisesStartsAndCreatesTheDatabase) {
  EmbeddedPostgres pg{options(dir_ / "data")};
  ASSERT_TRUE(pg.start()) << pg.last_error();
  EXPECT_TRUE(pg.running());
  EXPECT_EQ(test::query_value(pg.conninfo(), "SELECT current_database()"), "fedgate");
  EXPECT_EQ(test::query_value(pg.conninfo(), "SHOW listen_addresses"), "");  // no TCP at all
  ASSERT_TRUE(pg.stop());
  EXPECT_FALSE(pg.running());
}

TEST_F(Embedded, RestartKeepsTheData) {
  EmbeddedPostgres pg{options(dir_ / "data")};
  ASSERT_TRUE(pg.start()) << pg.last_error();
  test::exec_sql(pg.conninfo(), "CREATE TABLE kept (x int); INSERT INTO kept VALUES (7)");
  ASSERT_TRUE(pg.restart()) << pg.last_error();
  EXPECT_EQ(test::query_value(pg.conninfo(), "SELECT x FROM kept"), "7");
}

TEST_F(Embedded, ReusesTheLiveServerOfAKilledNode) {
  EmbeddedPostgres first{options(dir_ / "data")};
  ASSERT_TRUE(first.start()) << first.last_error();
  auto pid = test::query_value(first.conninfo(), "SELECT pg_postmaster_start_time()::text");
  EmbeddedPostgres second{options(dir_ / "data")};  // the restarted node, same state dir
  ASSERT_TRUE(second.start()) << second.last_error();
  EXPECT_EQ(test::query_value(second.conninfo(), "SELECT pg_postmaster_start_time()::text"), pid);
}

TEST_F(Embedded, RecoversFromAStalePostmasterPidFile) {
  EmbeddedPostgres pg{options(dir_ / "data")};
  ASSERT_TRUE(pg.start()) << pg.last_error();
  ASSERT_TRUE(pg.stop());
  // A pid file naming a live process that is not PostgreSQL (this test), as after a reboot.
  std::ofstream{dir_ / "data" / "postmaster.pid"} << ::getpid() << "\n" << (dir_ / "data").string() << "\n";
  ASSERT_TRUE(pg.start()) << pg.last_error();
  EXPECT_EQ(test::query_value(pg.conninfo(), "SELECT 1"), "1");
}

TEST_F(Embedded, UsesAShortSocketDirectoryForALongDataDir) {
  EmbeddedPostgres pg{options(dir_ / std::string(110, 'd') / "data")};
  ASSERT_TRUE(pg.start()) << pg.last_error();
  EXPECT_EQ(pg.conninfo().find(std::string(110, 'd')), std::string::npos);
  EXPECT_EQ(test::query_value(pg.conninfo(), "SELECT 1"), "1");
}

TEST_F(Embedded, ExplainsMissingServerBinaries) {
  auto opts = options(dir_ / "data");
  opts.bin_dir = dir_ / "no-such-bin";
  EmbeddedPostgres pg{opts};
  auto started = pg.start();
  ASSERT_FALSE(started);
  EXPECT_EQ(started.error(), StoreErrc::embedded_failed);
  EXPECT_NE(pg.last_error().find("no PostgreSQL server binaries"), std::string::npos);
}

TEST_F(Embedded, RefusesADirectoryThatIsNotACluster) {
  fs::create_directories(dir_ / "data");
  std::ofstream{dir_ / "data" / "notes.txt"} << "mine";
  EmbeddedPostgres pg{options(dir_ / "data")};
  ASSERT_FALSE(pg.start());
  EXPECT_NE(pg.last_error().find("holds no PostgreSQL cluster"), std::string::npos);
}

}  // namespace
}  // namespace fedgate::gateway
