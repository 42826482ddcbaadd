// TestPostgres: a real PostgreSQL for integration tests. instance() is one server shared by
// every test process of the build tree (ref-counted with flock; the last user stops it and
// removes its directory); isolated() is private to the process, for tests that stop or
// restart it. Each test gets its own database with every migration applied. Blocking.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "gateway/base/result.hpp"
#include "gateway/store/embedded_postgres.hpp"

namespace fedgate::test {

class TestPostgres {
 public:
  // The shared server; throws std::runtime_error if it cannot start. Never stop it.
  static TestPostgres& instance();
  // A server of this process only, in a fresh temp dir removed at exit: stop/start it freely.
  static TestPostgres& isolated();

  // A new database t_<random> (dropped at exit); with `migrated`, every migration applied
  // (copied from a migrated template database). Returns its conninfo.
  std::string create_database(bool migrated = true);

  // The "database restart" (same socket, same data). Refused on the shared instance().
  result<void> stop();
  result<void> start();
  result<void> restart();

  gateway::EmbeddedPostgres& server() { return server_; }

  ~TestPostgres();
  TestPostgres(const TestPostgres&) = delete;
  TestPostgres& operator=(const TestPostgres&) = delete;

 private:
  TestPostgres(std::filesystem::path data_dir, bool shared);
  std::filesystem::path data_dir_;
  bool shared_;
  int users_lock_ = -1;  // shared: LOCK_SH held while this process uses the server
  gateway::EmbeddedPostgres server_;
  std::vector<std::string> databases_;
};

// Runs SQL (several statements allowed) in one transaction; throws on error.
void exec_sql(const std::string& conninfo, const std::string& sql);
// Runs SQL in one transaction and returns the server's error message ("" when it succeeded).
std::string sql_error(const std::string& conninfo, const std::string& sql);
// The first column of the first row, as text ("" when there is no row or it is NULL).
std::string query_value(const std::string& conninfo, const std::string& sql);

// Fixture: each test starts with conninfo_ naming a fresh, migrated database on instance().
class PgTest : public ::testing::Test {
 protected:
  void SetUp() override;
  std::string conninfo_;
};

}  // namespace fedgate::test
