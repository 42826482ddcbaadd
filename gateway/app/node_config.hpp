// NodeConfig: a node's own settings (identity, listeners, certificates, database, logging),
// read from a config file, FEDGATE_* environment variables and the command line, in rising
// precedence (Boost.Program_options). Everything else is policy and lives in the database.
#pragma once

#include <boost/program_options/options_description.hpp>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace fedgate::gateway {

struct NodeConfig {
  std::filesystem::path config_file;
  std::string node_id;
  std::string node_fqdn;
  std::filesystem::path state_dir = "/var/lib/fedgate";

  std::string sip_tls_listen = "0.0.0.0:5061";
  std::string sip_tcp_listen;  // empty: off (plain TCP is for trusted internal legs only)
  std::string sip_udp_listen;  // empty: off
  std::string xmpp_listen = "0.0.0.0:5269";
  std::string xmpps_listen;  // empty: off; XEP-0368 Direct TLS s2s (conventionally 5270)
  std::string admin_listen = "127.0.0.1:8280";

  std::filesystem::path tls_cert;  // all three empty: a development PKI under state_dir/pki
  std::filesystem::path tls_key;
  std::filesystem::path tls_ca;
  std::string tls_ciphers;  // empty: OpenSSL's secure default list
  std::string tls_min_version = "1.2";

  std::string database;  // libpq conninfo or URL; empty: embedded PostgreSQL under state_dir/pg
  bool auto_migrate = true;
  std::string dns_server;  // "127.0.0.1:53"; empty: the system resolver

  std::string admin_token;
  std::filesystem::path admin_token_file;  // read the token from here when admin_token is empty

  std::string log_level = "info";
  std::filesystem::path log_file;
  bool trace_sip = false;
  bool trace_xmpp = false;

  unsigned io_threads = 0;  // 0: one per core
  unsigned drain_timeout_s = 10;
  // Stanzas waiting per outbound XMPP stream; beyond it a message is bounced to its sender
  // (resource-constraint), anything else refused the same way.
  std::size_t xmpp_queue_limit = 10000;
  std::string demo_domain = "corp.example";  // embedded mode seeds this local domain when none

  bool embedded_database() const { return database.empty(); }
  bool dev_pki() const { return tls_cert.empty() && tls_key.empty(); }
  std::filesystem::path pki_dir() const { return state_dir / "pki"; }
  std::filesystem::path pg_dir() const { return state_dir / "pg"; }
};

// The options every subcommand that talks to a node understands.
boost::program_options::options_description node_options(NodeConfig& config);

// Parses argv (after the subcommand), the FEDGATE_* environment and the config file.
// Throws boost::program_options::error with a readable message on bad input.
void load_node_config(NodeConfig& config, const boost::program_options::options_description& desc,
                      const std::vector<std::string>& args);

// Fills node_id / node_fqdn from the host name when unset, resolves relative paths.
void complete_defaults(NodeConfig& config);

}  // namespace fedgate::gateway
