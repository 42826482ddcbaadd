// The node's database: the configured PostgreSQL, or the embedded private cluster under
// state-dir/pg when none is configured. Start-up only (blocking); owned by the command.
#pragma once

#include <memory>
#include <string>

#include "gateway/app/node_config.hpp"
#include "gateway/base/log.hpp"
#include "gateway/base/result.hpp"
#include "gateway/store/embedded_postgres.hpp"

namespace fedgate::gateway {

struct Database {
  std::unique_ptr<EmbeddedPostgres> embedded;  // null when a database is configured
  std::string conninfo;
};

// Starts the embedded cluster when needed (initdb on first use). Throws std::runtime_error
// with a readable message on failure (start-up errors fail fast, STYLE.md B6).
Database open_database(const NodeConfig& config, const Logger& log);

// Applies pending migrations (or, with auto_migrate off, refuses to start when any are
// pending) and, in embedded mode, seeds the demo local domain when there is none.
void prepare_schema(const NodeConfig& config, const Database& db, const Logger& log);

}  // namespace fedgate::gateway
