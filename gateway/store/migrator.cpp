#include "gateway/store/migrator.hpp"

#include <pqxx/pqxx>
#include <chrono>
#include <set>

#include "gateway/store/embedded_schema.hpp"
#include "gateway/store/pg_error.hpp"
#include "gateway/store/store_error.hpp"

namespace fedgate::gateway {
namespace {

// Session advisory lock held while migrating: a second node waits, then finds nothing to do.
constexpr long long kMigrationLockKey = 7301968425310000;

std::vector<Migration> build_migrations() {
  std::vector<Migration> out;
  for (const auto& file : embedded_schema()) {
    std::string sql;
    for (auto chunk : file.chunks) {
      sql += chunk;
    }
    out.push_back({file.version, std::string{file.name}, std::move(sql)});
  }
  return out;
}

std::set<int> applied_versions(pqxx::connection& conn) {
  pqxx::nontransaction tx{conn};
  std::set<int> versions;
  if (tx.exec("SELECT to_regclass('schema_migrations') IS NULL")[0][0].as<bool>()) {
    return versions;
  }
  for (const auto& row : tx.exec("SELECT version FROM schema_migrations")) {
    versions.insert(row[0].as<int>());
  }
  return versions;
}

void exec_simple(pqxx::connection& conn, const std::string& sql) {
  pqxx::nontransaction tx{conn};
  tx.exec(sql);
}

void apply_one(pqxx::connection& conn, const Migration& m, const Logger& log) {
  auto started = std::chrono::steady_clock::now();
  pqxx::work tx{conn};
  tx.exec(m.sql);
  tx.exec_params("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", m.version,
                 m.name);
  tx.commit();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::steady_clock::now() - started).count();
  log.info("store.migration.applied", {{"version", m.version}, {"name", m.name}, {"ms", ms}});
}

std::vector<int> apply_locked(pqxx::connection& conn, const Logger& log, int& current) {
  exec_simple(conn,
              "CREATE TABLE IF NOT EXISTS schema_migrations ("
              " version integer PRIMARY KEY, name text NOT NULL,"
              " applied_at timestamptz NOT NULL DEFAULT now())");
  auto done = applied_versions(conn);
  std::vector<int> applied;
  for (const auto& m : all_migrations()) {
    if (done.contains(m.version)) {
      continue;
    }
    current = m.version;
    apply_one(conn, m, log);
    applied.push_back(m.version);
  }
  int newest_known = all_migrations().empty() ? 0 : all_migrations().back().version;
  if (!done.empty() && *done.rbegin() > newest_known) {
    log.warn("store.migration.newer_schema",
             {{"database_version", *done.rbegin()}, {"binary_version", newest_known}});
  }
  return applied;
}

}  // namespace

const std::vector<Migration>& all_migrations() {
  static const std::vector<Migration> migrations = build_migrations();
  return migrations;
}

result<std::vector<int>> apply_migrations(const std::string& conninfo, const Logger& log) {
  int current = 0;
  try {
    pqxx::connection conn{conninfo};
    exec_simple(conn, "SELECT pg_advisory_lock(" + std::to_string(kMigrationLockKey) + ")");
    auto applied = apply_locked(conn, log, current);
    exec_simple(conn, "SELECT pg_advisory_unlock(" + std::to_string(kMigrationLockKey) + ")");
    log.info("store.migrations.done", {{"applied", applied.size()},
                                       {"known", all_migrations().size()}});
    return applied;
  } catch (...) {
    auto failure = classify_pg_exception(std::current_exception());
    log.error("store.migration.failed", {{"version", current}, {"error", failure.detail}});
    if (failure.code == StoreErrc::unavailable) {
      return make_error_code(StoreErrc::unavailable);
    }
    return make_error_code(StoreErrc::migration_failed);
  }
}

result<std::vector<int>> pending_migrations(const std::string& conninfo) {
  try {
    pqxx::connection conn{conninfo};
    auto done = applied_versions(conn);
    std::vector<int> pending;
    for (const auto& m : all_migrations()) {
      if (!done.contains(m.version)) {
        pending.push_back(m.version);
      }
    }
    return pending;
  } catch (...) {
    return make_error_code(classify_pg_exception(std::current_exception()).code);
  }
}

}  // namespace fedgate::gateway
