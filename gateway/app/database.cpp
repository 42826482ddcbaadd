#include "gateway/app/database.hpp"

#include <fmt/format.h>

#include <pqxx/pqxx>
#include <stdexcept>

#include "gateway/store/migrator.hpp"

namespace fedgate::gateway {

Database open_database(const NodeConfig& config, const Logger& log) {
  Database db;
  if (!config.embedded_database()) {
    db.conninfo = config.database;
    return db;
  }
  EmbeddedPostgresOptions options;
  options.data_dir = config.pg_dir();
  options.log = log;
  db.embedded = std::make_unique<EmbeddedPostgres>(options);
  auto started = db.embedded->start();
  if (!started) {
    throw std::runtime_error(fmt::format("embedded PostgreSQL under {} did not start: {}",
                                         options.data_dir.string(), started.error().message()));
  }
  db.conninfo = db.embedded->conninfo();
  log.info("db.embedded_started", {{"dir", options.data_dir.string()}, {"conninfo", db.conninfo}});
  return db;
}

namespace {

void seed_demo_domain(const NodeConfig& config, const Database& db, const Logger& log) {
  pqxx::connection conn(db.conninfo);
  pqxx::work tx(conn);
  auto count = tx.exec1("SELECT count(*) FROM local_domains")[0].as<long>();
  if (count > 0) {
    return;
  }
  tx.exec_params("INSERT INTO local_domains (domain, home_protocol) VALUES ($1, 'xmpp')",
                 config.demo_domain);
  tx.commit();
  log.info("db.demo_domain_seeded", {{"domain", config.demo_domain}});
}

}  // namespace

void prepare_schema(const NodeConfig& config, const Database& db, const Logger& log) {
  if (config.auto_migrate) {
    auto applied = apply_migrations(db.conninfo, log);
    if (!applied) {
      throw std::runtime_error("applying migrations failed: " + applied.error().message());
    }
  } else {
    auto pending = pending_migrations(db.conninfo);
    if (!pending) {
      throw std::runtime_error("database unreachable: " + pending.error().message());
    }
    if (!pending->empty()) {
      throw std::runtime_error(fmt::format(
          "{} migrations pending and auto-migrate is off: run 'fedgate migrate'", pending->size()));
    }
  }
  if (db.embedded) {
    try {
      seed_demo_domain(config, db, log);
    } catch (const std::exception& e) {
      throw std::runtime_error(std::string("seeding the demo domain failed: ") + e.what());
    }
  }
}

}  // namespace fedgate::gateway
