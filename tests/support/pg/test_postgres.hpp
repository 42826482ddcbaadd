// TestPostgres: a real PostgreSQL for integration tests. One server per test binary, started
// on first use in a fresh temp dir and removed at exit; each test gets its own database
// (t_<random>) with every migration applied. Blocking; call from test code only.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "gateway/base/result.hpp"
#include "gateway/store/embedded_postgres.hpp"

namespace fedgate::test {

class TestPostgres {
 public:
  // The process-wide server; throws std::runtime_error if it cannot start.
  static TestPostgres& instance();

  // A new empty database; with `migrated`, every migration applied (copied from a template
  // database migrated once per process). Returns its conninfo.
  std::string create_database(bool migrated = true);

  // Stop and start the server in place (same socket, same data): the "database restart".
  result<void> stop() { return server_.stop(); }
  result<void> start() { return server_.start(); }
  result<void> restart() { return server_.restart(); }

  gateway::EmbeddedPostgres& server() { return server_; }
  // A scratch directory of this process (removed at exit) for tests' own files.
  const std::filesystem::path& scratch_dir() const { return dir_; }

  ~TestPostgres();

 private:
  explicit TestPostgres(std::filesystem::path dir);
  std::filesystem::path dir_;
  gateway::EmbeddedPostgres server_;
  bool template_ready_ = false;
};

// Runs SQL (several statements allowed) in one transaction; throws on error.
void exec_sql(const std::string& conninfo, const std::string& sql);
// Runs SQL in one transaction and returns the server's error message ("" when it succeeded).
std::string sql_error(const std::string& conninfo, const std::string& sql);
// The first column of the first row, as text ("" when there is no row).
std::string query_value(const std::string& conninfo, const std::string& sql);

// Fixture: each test starts with conninfo_ naming a fresh, migrated database.
class PgTest : public ::testing::Test {
 protected:
  void SetUp() override;
  std::string conninfo_;
};

}  // namespace fedgate::test
