#include "gateway/app/node_config.hpp"

#include <unistd.h>

#include <boost/program_options.hpp>
#include <algorithm>
#include <fstream>

namespace fedgate::gateway {

namespace po = boost::program_options;

po::options_description node_options(NodeConfig& c) {
  po::options_description d("Node options (config file keys are the same names; environment: "
                            "FEDGATE_ and the name in upper case with _ for -)");
  // clang-format off
  d.add_options()
    ("config,c", po::value(&c.config_file), "config file (key = value lines)")
    ("node-id", po::value(&c.node_id), "this node's id in the cluster (default: host name)")
    ("node-fqdn", po::value(&c.node_fqdn), "this node's FQDN (default: host name)")
    ("state-dir", po::value(&c.state_dir)->default_value(c.state_dir),
       "state directory: embedded database, development PKI, admin token")
    ("sip-tls-listen", po::value(&c.sip_tls_listen)->default_value(c.sip_tls_listen),
       "SIP over TLS listener (empty: off)")
    ("sip-tcp-listen", po::value(&c.sip_tcp_listen), "SIP over TCP listener (default off)")
    ("sip-udp-listen", po::value(&c.sip_udp_listen), "SIP over UDP listener (default off)")
    ("xmpp-listen", po::value(&c.xmpp_listen)->default_value(c.xmpp_listen),
       "XMPP s2s listener (empty: off)")
    ("xmpps-listen", po::value(&c.xmpps_listen),
       "XMPP s2s Direct TLS listener, XEP-0368 (default off)")
    ("admin-listen", po::value(&c.admin_listen)->default_value(c.admin_listen),
       "admin HTTP listener (keep it on loopback or a management network)")
    ("tls-cert", po::value(&c.tls_cert), "PEM certificate chain (default: development PKI)")
    ("tls-key", po::value(&c.tls_key), "PEM private key")
    ("tls-ca", po::value(&c.tls_ca), "PEM file of CAs trusted for peer certificates")
    ("tls-ciphers", po::value(&c.tls_ciphers), "OpenSSL cipher list for TLS 1.2")
    ("tls-min-version", po::value(&c.tls_min_version)->default_value(c.tls_min_version),
       "minimum TLS version: 1.2 or 1.3")
    ("database", po::value(&c.database),
       "PostgreSQL conninfo or URL (default: embedded cluster under state-dir/pg)")
    ("auto-migrate", po::value(&c.auto_migrate)->default_value(c.auto_migrate),
       "apply pending schema migrations at start")
    ("dns-server", po::value(&c.dns_server), "DNS server address:port (default: system)")
    ("admin-token", po::value(&c.admin_token), "bearer token for the admin API")
    ("admin-token-file", po::value(&c.admin_token_file),
       "file holding the admin token (default: state-dir/admin.token, created if missing)")
    ("log-level", po::value(&c.log_level)->default_value(c.log_level),
       "trace, debug, info, warn, error or off")
    ("log-file", po::value(&c.log_file), "log file (default: standard error)")
    ("trace-sip", po::value(&c.trace_sip)->default_value(false), "SIP wire tracing at start")
    ("trace-xmpp", po::value(&c.trace_xmpp)->default_value(false), "XMPP wire tracing at start")
    ("io-threads", po::value(&c.io_threads)->default_value(0), "I/O threads (0: one per core)")
    ("drain-timeout", po::value(&c.drain_timeout_s)->default_value(c.drain_timeout_s),
       "seconds to drain sessions at shutdown")
    ("xmpp-queue-limit", po::value(&c.xmpp_queue_limit)->default_value(c.xmpp_queue_limit),
       "stanzas waiting per outbound XMPP stream; beyond it messages bounce (resource-constraint)")
    ("demo-domain", po::value(&c.demo_domain)->default_value(c.demo_domain),
       "embedded mode: local domain seeded when the database has none");
  // clang-format on
  return d;
}

namespace {

std::string env_to_option(const po::options_description& desc, const std::string& env) {
  constexpr std::string_view kPrefix = "FEDGATE_";
  if (env.rfind(kPrefix, 0) != 0) {
    return {};
  }
  std::string name = env.substr(kPrefix.size());
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char ch) {
    return ch == '_' ? '-' : static_cast<char>(std::tolower(ch));
  });
  return desc.find_nothrow(name, false) ? name : std::string{};
}

}  // namespace

void load_node_config(NodeConfig& /*config: bound through desc*/, const po::options_description& desc,
                      const std::vector<std::string>& args) {
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(desc).run(), vm);
  po::store(po::parse_environment(
                desc, [&desc](const std::string& env) { return env_to_option(desc, env); }),
            vm);
  if (vm.count("config")) {
    auto path = vm["config"].as<std::filesystem::path>();
    std::ifstream in(path);
    if (!in) {
      throw po::error("cannot read config file " + path.string());
    }
    po::store(po::parse_config_file(in, desc), vm);
  }
  po::notify(vm);
}

void complete_defaults(NodeConfig& c) {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) {
    std::snprintf(host, sizeof host, "fedgate");
  }
  if (c.node_id.empty()) {
    c.node_id = host;
  }
  if (c.node_fqdn.empty()) {
    c.node_fqdn = host;
  }
  std::transform(c.node_fqdn.begin(), c.node_fqdn.end(), c.node_fqdn.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  c.state_dir = std::filesystem::absolute(c.state_dir);
  if (c.admin_token_file.empty()) {
    c.admin_token_file = c.state_dir / "admin.token";
  }
}

}  // namespace fedgate::gateway
