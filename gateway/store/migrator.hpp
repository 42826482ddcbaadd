// Schema migrator: applies schema/NNNN_name.sql (embedded into the binary at build time) in
// order, each in its own transaction, recorded in schema_migrations. Blocking (libpqxx): call
// it at start-up or from `fedgate migrate`, never on an I/O thread. Issue 2.
#pragma once

#include <string>
#include <vector>

#include "gateway/base/log.hpp"
#include "gateway/base/result.hpp"

namespace fedgate::gateway {

struct Migration {
  int version;
  std::string name;
  std::string sql;
};

// Every migration compiled into this binary, ordered by version.
const std::vector<Migration>& all_migrations();

// Takes a session advisory lock (so nodes never race), then applies every migration not yet
// recorded in schema_migrations. Re-applying is a no-op. Returns the versions it applied.
result<std::vector<int>> apply_migrations(const std::string& conninfo, const Logger& log);

// Versions compiled in but not yet recorded in the database (schema_migrations may not exist).
result<std::vector<int>> pending_migrations(const std::string& conninfo);

}  // namespace fedgate::gateway
