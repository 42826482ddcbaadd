#include "gateway/app/check_config.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <pqxx/pqxx>

#include "gateway/admin/admin_server.hpp"
#include "gateway/net/certificate.hpp"
#include "gateway/store/embedded_postgres.hpp"
#include "gateway/store/migrator.hpp"

namespace fedgate::gateway {

namespace {

Finding ok(std::string w) { return {Severity::ok, std::move(w)}; }
Finding warning(std::string w) { return {Severity::warning, std::move(w)}; }
Finding error(std::string w) { return {Severity::error, std::move(w)}; }

std::string day(std::chrono::system_clock::time_point t) {
  return fmt::format("{:%Y-%m-%d}", fmt::gmtime(std::chrono::system_clock::to_time_t(t)));
}

void check_validity(const CertificateInfo& cert, std::vector<Finding>& out) {
  auto now = std::chrono::system_clock::now();
  if (cert.not_after < now) {
    out.push_back(error("tls-cert expired on " + day(cert.not_after)));
  } else if (cert.not_before > now) {
    out.push_back(error("tls-cert is not valid before " + day(cert.not_before)));
  } else if (cert.not_after - now < std::chrono::hours(24 * 30)) {
    out.push_back(warning("tls-cert expires soon, on " + day(cert.not_after)));
  } else {
    out.push_back(ok("tls-cert valid until " + day(cert.not_after)));
  }
}

void check_usage(const CertificateInfo& cert, std::vector<Finding>& out) {
  if (cert.has_eku && !cert.server_auth) {
    out.push_back(error("tls-cert lacks the serverAuth extended key usage: peers will refuse it"));
  }
  if (cert.has_eku && !cert.client_auth) {
    out.push_back(warning(
        "tls-cert lacks the clientAuth extended key usage: Microsoft (Lync/Skype for Business) "
        "peers and Kamailio refuse it for mutual TLS on connections fedgate opens"));
  }
}

}  // namespace

std::vector<Finding> check_listeners(const NodeConfig& config) {
  std::vector<Finding> out;
  for (auto [name, value] :
       {std::pair{"sip-tls-listen", &config.sip_tls_listen}, {"sip-tcp-listen", &config.sip_tcp_listen},
        {"sip-udp-listen", &config.sip_udp_listen}, {"xmpp-listen", &config.xmpp_listen},
        {"xmpps-listen", &config.xmpps_listen},
        {"admin-listen", &config.admin_listen}}) {
    if (value->empty()) {
      continue;
    }
    if (!parse_endpoint(*value)) {
      out.push_back(error(fmt::format("{} '{}' is not address:port (e.g. 0.0.0.0:5061, [::]:5061)",
                                      name, *value)));
    }
  }
  if (!config.sip_tcp_listen.empty()) {
    out.push_back(warning("sip-tcp-listen is on: plain TCP has no peer authentication; "
                          "use it only for a trusted internal home leg"));
  }
  return out;
}

namespace {

bool valid_node_id(std::string_view id) {
  return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
  });
}

// Lower-case LDH labels of 1-63 characters, not starting or ending with '-', at most 253 bytes.
bool valid_dns_name(std::string_view name) {
  if (name.empty() || name.size() > 253) {
    return false;
  }
  std::size_t start = 0;
  while (start <= name.size()) {
    auto dot = name.find('.', start);
    auto label = name.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    bool ldh = std::all_of(label.begin(), label.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    });
    if (label.empty() || label.size() > 63 || !ldh || label.front() == '-' || label.back() == '-') {
      return false;
    }
    if (dot == std::string_view::npos) {
      break;
    }
    start = dot + 1;
  }
  return true;
}

}  // namespace

std::vector<Finding> check_identity(const NodeConfig& config) {
  std::vector<Finding> out;
  if (!valid_node_id(config.node_id)) {
    out.push_back(error(fmt::format(
        "node-id '{}' must be 1-64 characters of letters, digits, '.', '_' or '-'", config.node_id)));
  }
  if (!valid_dns_name(config.node_fqdn)) {
    out.push_back(error(fmt::format(
        "node-fqdn '{}' is not a DNS name (letters, digits and '-' in dot-separated labels); "
        "set --node-fqdn", config.node_fqdn)));
  }
  return out;
}

std::vector<Finding> check_tls(const NodeConfig& config, const std::vector<std::string>& domains) {
  std::vector<Finding> out;
  if (config.dev_pki()) {
    out.push_back(warning("no tls-cert/tls-key configured: a development CA under " +
                          config.pki_dir().string() + " will be used (evaluation only)"));
    return out;
  }
  if (config.tls_cert.empty() || config.tls_key.empty()) {
    out.push_back(error("tls-cert and tls-key must be configured together"));
    return out;
  }
  auto cert = read_certificate_file(config.tls_cert);
  if (!cert) {
    out.push_back(error(fmt::format("tls-cert {}: {}", config.tls_cert.string(), cert.error().message())));
    return out;
  }
  if (auto k = check_key_matches(config.tls_cert, config.tls_key); !k) {
    out.push_back(error(fmt::format("tls-key {}: {}", config.tls_key.string(), k.error().message())));
  }
  check_validity(*cert, out);
  check_usage(*cert, out);
  for (const auto& d : domains) {
    if (!covers_dns_name(*cert, d)) {
      out.push_back(error(fmt::format(
          "local domain {} is not covered by the subjectAltNames of tls-cert ({})", d,
          fmt::join(cert->dns_names, ", "))));
    }
  }
  if (config.tls_ca.empty()) {
    out.push_back(error("tls-ca is not configured: peer certificates cannot be verified"));
  } else if (auto v = verify_against_ca(config.tls_cert, config.tls_ca); !v) {
    auto what = v.error() == make_error_code(CertErrc::ca_unreadable) ? error : warning;
    out.push_back(what(fmt::format("tls-cert checked against tls-ca {}: {}", config.tls_ca.string(),
                                   v.error().message())));
  }
  return out;
}

namespace {

std::vector<std::string> query_local_domains(const std::string& conninfo) {
  pqxx::connection conn(conninfo);
  pqxx::read_transaction tx(conn);
  std::vector<std::string> out;
  for (const auto& row : tx.exec("SELECT domain FROM local_domains ORDER BY domain")) {
    out.emplace_back(row[0].c_str());
  }
  return out;
}

}  // namespace

std::vector<Finding> check_database(const NodeConfig& config, std::vector<std::string>& local_domains) {
  std::vector<Finding> out;
  std::string conninfo = config.database;
  if (config.embedded_database()) {
    EmbeddedPostgres pg(EmbeddedPostgresOptions{config.pg_dir()});
    if (!pg.running()) {
      out.push_back(ok("database: embedded cluster under " + config.pg_dir().string() +
                       " (not running now; fedgate run starts it)"));
      return out;
    }
    conninfo = pg.conninfo();
  }
  ::setenv("PGCONNECT_TIMEOUT", "5", 0);
  auto pending = pending_migrations(conninfo);
  if (!pending) {
    out.push_back(error("database unreachable: " + pending.error().message()));
    return out;
  }
  if (!pending->empty()) {
    out.push_back(error(fmt::format("{} database migrations pending: run 'fedgate migrate'",
                                    pending->size())));
    return out;
  }
  out.push_back(ok("database reachable, schema up to date"));
  try {
    local_domains = query_local_domains(conninfo);
  } catch (const std::exception& e) {
    out.push_back(error(std::string("reading local_domains failed: ") + e.what()));
  }
  return out;
}

}  // namespace fedgate::gateway
