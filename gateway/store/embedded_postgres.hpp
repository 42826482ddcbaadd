// EmbeddedPostgres: a node's private PostgreSQL cluster when none is configured, and the
// tests' real database. initdb on first use, pg_ctl start with listen_addresses='' and a
// unix socket only; as root, the server runs as the `postgres` system user. Blocking: call
// from start-up code or tests, never on an I/O thread. Issue 2 "Two commands".
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "gateway/base/log.hpp"
#include "gateway/base/result.hpp"

namespace fedgate::gateway {

struct EmbeddedPostgresOptions {
  std::filesystem::path data_dir;
  std::string database = "fedgate";
  std::filesystem::path bin_dir;  // empty: the newest /usr/lib/postgresql/N/bin
  bool fast_unsafe = false;       // fsync=off, 1 MB WAL segments: for tests only
  bool keep_running = false;      // the destructor leaves the server up (shared by processes)
  Logger log;
};

class EmbeddedPostgres {
 public:
  explicit EmbeddedPostgres(EmbeddedPostgresOptions options);
  ~EmbeddedPostgres();  // stops the server if it runs (unless keep_running)
  EmbeddedPostgres(const EmbeddedPostgres&) = delete;
  EmbeddedPostgres& operator=(const EmbeddedPostgres&) = delete;

  // initdb if data_dir is empty, start (or reuse a live postmaster left by a killed node),
  // wait until it accepts connections (bounded), create the database if missing.
  result<void> start();
  result<void> stop();
  result<void> restart();

  // libpq key=value conninfo for `database` over the unix socket.
  std::string conninfo() const;
  std::string conninfo(const std::string& database) const;
  // A live postmaster owns data_dir (a zombie or a reused pid in a stale file does not count).
  bool running() const;
  // The last failure's detail (command, exit status, captured output); empty after success.
  const std::string& last_error() const { return last_error_; }

 private:
  result<void> prepare_data_dir();
  result<void> write_config();
  result<void> start_server();
  result<void> wait_ready();
  result<void> create_database();
  result<void> fail(std::string detail);
  result<void> run_tool(const std::vector<std::string>& argv);
  result<void> hand_to_postgres_user(const std::filesystem::path& path);
  void grant_search(const std::filesystem::path& dir);
  std::filesystem::path socket_dir() const;

  EmbeddedPostgresOptions options_;
  std::filesystem::path bin_dir_;
  std::string last_error_;
  bool as_postgres_user_ = false;  // euid 0: PostgreSQL refuses to run as root
  unsigned postgres_uid_ = 0;
  unsigned postgres_gid_ = 0;
};

}  // namespace fedgate::gateway
