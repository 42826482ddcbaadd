// fedgate run: start a node in the foreground. With no database configured it runs its own
// PostgreSQL under state-dir/pg; with no certificate configured it makes a development PKI.
#include <sys/stat.h>

#include <boost/program_options.hpp>
#include <iostream>

#include "gateway/app/check_config.hpp"
#include "gateway/app/commands.hpp"
#include "gateway/app/database.hpp"
#include "gateway/app/node.hpp"
#include "gateway/app/startup.hpp"
#include "gateway/net/dev_pki.hpp"
#include "gateway/store/policy_loader.hpp"

#include <pqxx/pqxx>

namespace fedgate::gateway {

namespace {

// The names the development certificate must cover: every local domain and the node FQDN.
std::vector<std::string> dev_pki_names(const NodeConfig& config, const Database& db) {
  std::vector<std::string> names{config.node_fqdn};
  pqxx::connection conn(db.conninfo);
  auto rows = load_policy(conn);
  if (!rows) {
    throw std::runtime_error("loading policy failed: " + rows.error().message());
  }
  for (const auto& d : rows->local_domains) {
    names.push_back(d.domain);
  }
  return names;
}

void ensure_certificates(NodeConfig& config, const Database& db, const Logger& log) {
  if (!config.dev_pki()) {
    return;
  }
  auto pki = ensure_dev_pki(config.pki_dir(), dev_pki_names(config, db));
  if (!pki) {
    throw std::runtime_error("creating the development PKI failed: " + pki.error().message());
  }
  config.tls_cert = pki->cert;
  config.tls_key = pki->key;
  if (config.tls_ca.empty()) {
    config.tls_ca = pki->ca_cert;
  }
  log.warn("tls.development_pki", {{"dir", config.pki_dir().string()},
                                   {"note", "for evaluation only: configure tls-cert/tls-key"}});
}

}  // namespace

int cmd_run(const std::vector<std::string>& args) {
  NodeConfig config;
  auto desc = node_options(config);
  desc.add_options()("help,h", "show the options");
  bool help = false;
  if (!parse_command_line(config, desc, args, "fedgate run [options]", &help)) {
    return help ? 0 : 2;
  }
  auto log = start_logging(config);
  if (auto bad = check_identity(config); !bad.empty()) {
    for (const auto& f : bad) {
      std::cerr << "fedgate: " << f.what << "\n";  // the nodes table would refuse this node
    }
    return 2;
  }
  try {
    std::filesystem::create_directories(config.state_dir);
    // 0711: the embedded PostgreSQL runs as the postgres user when the node runs as root, and
    // must traverse into state-dir/pg; everything secret inside is mode 0600.
    ::chmod(config.state_dir.c_str(), 0711);
    Database db = open_database(config, log);
    prepare_schema(config, db, log);
    ensure_certificates(config, db, log);
    Node node(config, std::move(db), log);
    node.start();
    return node.run();
  } catch (const std::exception& e) {
    log.error("node.start_failed", {{"error", e.what()}});
    std::cerr << "fedgate: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace fedgate::gateway
