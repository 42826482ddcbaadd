// XmppEdge: wiring of the XMPP connection manager into the node (resolver, TLS, StreamConfig
// from the policy tables, pool, listeners, switchboard). RFC 6120 §3.2 (discovery, static
// routes), §5 (TLS), XEP-0178/0220 settings, XEP-0368 Direct TLS.
#include "gateway/app/xmpp_edge.hpp"

#include <openssl/rand.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <mutex>
#include <pqxx/pqxx>
#include <stdexcept>

#include "gateway/admin/admin_server.hpp"
#include "gateway/net/caching_resolver.hpp"
#include "gateway/net/cares_resolver.hpp"
#include "gateway/net/srv_order.hpp"
#include "gateway/net/tls_context.hpp"
#include "xmpp/stream/security_change.hpp"

namespace fedgate::gateway {

namespace asio = boost::asio;

namespace {

xmpp::TlsMode tls_mode(presence::XmppSecurityMode m) {
  switch (m) {
    case presence::XmppSecurityMode::no_tls:
      return xmpp::TlsMode::no_tls;
    case presence::XmppSecurityMode::tls_optional:
      return xmpp::TlsMode::tls_optional;
    case presence::XmppSecurityMode::tls_required:
      break;
  }
  return xmpp::TlsMode::tls_required;
}

std::string random_stream_id() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    throw std::runtime_error("no randomness for XMPP stream ids");
  }
  std::string out;
  for (unsigned char b : bytes) {
    out += fmt::format("{:02x}", b);
  }
  return out;
}

xmpp::SecuritySettings security_settings(const presence::Settings& s) {
  xmpp::SecuritySettings out;
  out.tls_mode = tls_mode(s.xmpp_security);
  out.require_valid_certificates = s.require_valid_peer_certificates;
  out.sasl_external_inbound = s.sasl_external_inbound;
  out.sasl_external_outbound = s.sasl_external_outbound;
  out.dialback_secret = s.dialback_secret;
  out.dialback_allowed = !s.dialback_secret.empty();
  return out;
}

const char* xmpp_security_name(presence::XmppSecurityMode m) {
  switch (m) {
    case presence::XmppSecurityMode::no_tls:
      return "no_tls";
    case presence::XmppSecurityMode::tls_optional:
      return "tls_optional";
    case presence::XmppSecurityMode::tls_required:
      break;
  }
  return "tls_required";
}

bool same_security(const presence::Settings& a, const presence::Settings& b) {
  return a.xmpp_security == b.xmpp_security &&
         a.require_valid_peer_certificates == b.require_valid_peer_certificates &&
         a.sasl_external_inbound == b.sasl_external_inbound &&
         a.sasl_external_outbound == b.sasl_external_outbound &&
         a.dialback_secret == b.dialback_secret;
}

}  // namespace

XmppEdge::XmppEdge(asio::io_context& ioc, const NodeConfig& config, DbPool& db, TaskGroup& tasks,
                   MetricsRegistry& metrics, Logger log, PolicySource policy)
    : ioc_(ioc),
      config_(config),
      db_(db),
      tasks_(tasks),
      metrics_(metrics),
      base_log_(log),
      log_(log.with({{"component", "xmpp_edge"}})),
      policy_(std::move(policy)),
      outbox_(db, config.node_id),
      subscriptions_(db, config.node_id),
      presence_cache_(db) {}

XmppEdge::~XmppEdge() = default;

void XmppEdge::on_policy(const std::shared_ptr<const presence::PolicyRows>& rows) {
  auto v = std::make_shared<View>();
  v->rows = rows;
  v->policy = std::make_shared<const presence::PolicySnapshot>(*rows);
  view_.store(std::move(v));
  std::lock_guard lock(security_mutex_);
  if (s2s_config_.stream.load() && !same_security(rows->settings, security_rows_)) {
    apply_security(rows->settings, rows->version);
  }
}

// New streams (both directions) start with `s` from now on; established streams keep what
// they negotiated. A changed dialback secret keeps the old one verifiable for one handshake
// timeout (XEP-0185 §3: keys made with it may still be checked by receiving servers).
// Called with security_mutex_ held.
void XmppEdge::apply_security(const presence::Settings& s, std::int64_t version) {
  const Duration grace = s2s_config_.stream.load()->timeouts.handshake;
  const xmpp::SecuritySettings before = security_;
  security_ = xmpp::with_secret_grace(before, security_settings(s), Clock::now() + grace);
  security_rows_ = s;
  s2s_config_.stream.store(stream_config(security_));
  const bool tighter = xmpp::tightens(before, security_);
  const std::string established =
      tighter ? "keep what they negotiated until they close (not closed by this change)"
              : "keep what they negotiated";
  using LogFn = void (Logger::*)(std::string_view, std::initializer_list<LogField>) const;
  const LogFn say = tighter ? &Logger::warn : &Logger::info;
  (log_.*say)("xmpp.security_settings_changed",
              {{"version", version},
               {"xmpp_security", xmpp_security_name(s.xmpp_security)},
               {"require_valid_peer_certificates", s.require_valid_peer_certificates},
               {"sasl_external_inbound", s.sasl_external_inbound},
               {"sasl_external_outbound", s.sasl_external_outbound},
               {"dialback_secret_changed", before.dialback_secret != s.dialback_secret},
               {"tightened", tighter},
               {"applies_to", "new streams"},
               {"established_streams", established}});
}

std::shared_ptr<const xmpp::StreamConfig> XmppEdge::stream_config(
    const xmpp::SecuritySettings& s) const {
  auto c = std::make_shared<xmpp::StreamConfig>();
  c->security = s;
  c->tls_available = s2s_config_.server_tls.has_value();
  // Served or relayed: every domain once policy is loaded. The router decides per stanza and
  // refuses with a reason (relay_denied, domain_not_federated, xmpp_policy_*), which tells the
  // sender and the operator more than a <host-unknown/> stream error would.
  c->serves = [this](std::string_view) { return view() != nullptr; };
  c->partner_profile = [this](std::string_view domain) -> std::optional<xmpp::PartnerProfile> {
    auto v = view();
    if (!v) {
      return std::nullopt;
    }
    for (const auto& row : v->rows->xmpp_partner_profiles) {
      if (row.domain == domain) {
        return xmpp::PartnerProfile{row.tls_required, row.certificate_only, row.dialback_allowed,
                                    row.pinned_sha256};
      }
    }
    return std::nullopt;
  };
  c->new_stream_id = &random_stream_id;
  return c;
}

// A local domain with an XMPP home and a home_host: fedgate reaches it there, not by DNS.
std::optional<xmpp::StaticRoute> XmppEdge::home_route(std::string_view domain) const {
  auto v = view();
  if (!v) {
    return std::nullopt;
  }
  for (const auto& d : v->rows->local_domains) {
    if (d.domain == domain && d.home_protocol == presence::Protocol::xmpp && !d.home_host.empty()) {
      return xmpp::StaticRoute{d.home_host, d.home_port != 0 ? d.home_port : std::uint16_t{5269},
                               false};
    }
  }
  return std::nullopt;
}

void XmppEdge::make_resolver() {
  CaresOptions options;
  options.servers = config_.dns_server;
  auto created = CaresResolver::create(ioc_.get_executor(), options);
  if (!created) {
    throw std::runtime_error(
        fmt::format("dns-server '{}': {}", config_.dns_server, created.error().message()));
  }
  cares_ = std::move(*created);
  resolver_ = std::make_unique<CachingResolver>(*cares_, CacheOptions{});
}

void XmppEdge::make_tls() {
  if (config_.tls_cert.empty() || config_.tls_key.empty()) {
    log_.warn("xmpp.no_tls", {{"note", "no certificate configured: s2s without TLS"}});
    return;
  }
  TlsSettings settings;
  settings.identity = {config_.tls_cert, config_.tls_key};
  settings.ca = config_.tls_ca;
  settings.min_version = config_.tls_min_version == "1.3" ? TlsVersion::tls1_3 : TlsVersion::tls1_2;
  settings.cipher_list = config_.tls_ciphers;
  auto server = TlsContext::server(settings);
  auto client = TlsContext::client(settings);
  if (!server || !client) {
    throw std::runtime_error(fmt::format("XMPP TLS from tls-cert {}: {}", config_.tls_cert.string(),
                                         (!server ? server.error() : client.error()).message()));
  }
  s2s_config_.server_tls = *server;
  s2s_config_.client_tls = *client;
}

// The first StreamConfig, from the latest policy (a newer one may have come since start()
// began; on_policy() applies later changes once this one is stored).
void XmppEdge::use_current_security() {
  std::lock_guard lock(security_mutex_);
  security_rows_ = view()->rows->settings;
  security_ = security_settings(security_rows_);
  s2s_config_.stream.store(stream_config(security_));
}

void XmppEdge::start(const presence::PolicyRows& rows) {
  on_policy(std::make_shared<const presence::PolicyRows>(rows));
  make_resolver();
  make_tls();
  use_current_security();
  s2s_config_.static_route = [this](std::string_view d) { return home_route(d); };
  s2s_config_.queue_limit = std::max<std::size_t>(1, config_.xmpp_queue_limit);
  s2s_metrics_ = std::make_unique<xmpp::S2sMetrics>(metrics_);
  auto bounce = [this](xmpp::Element stanza, xmpp::StanzaErrc condition) {
    switchboard_->on_xmpp_bounce(std::move(stanza), condition);
  };
  auto delivered = [this](std::string_view stanza_id) {  // XEP-0198 <a/>: settled at once
    switchboard_->on_xmpp_delivered(std::string(stanza_id));
  };
  pool_ = std::make_unique<xmpp::S2sPool>(ioc_.get_executor(), s2s_config_, *resolver_,
                                          *s2s_metrics_, bounce, log_, delivered);
  xmpp_side_ = std::make_unique<S2sPoolSide>(*pool_);
  SwitchboardDeps deps{ioc_.get_executor(), db_.executor(), outbox_, subscriptions_,
                       presence_cache_,     *xmpp_side_,    tasks_,  metrics_,
                       base_log_,           policy_,        {}};
  deps.discover = [this](std::string domain) { return discover(std::move(domain)); };
  SwitchboardConfig sb;
  sb.agent = config_.node_fqdn;
  switchboard_ = std::make_unique<Switchboard>(std::move(deps), sb);
  inbound_ = std::make_unique<xmpp::InboundDeps>(
      xmpp::InboundDeps{s2s_config_, *switchboard_, *s2s_metrics_, log_, pool_.get()});
  switchboard_->hold_until_restored();  // nothing from either edge overtakes the restore
  listen(config_.xmpp_listen, false);
  listen(config_.xmpps_listen, true);
  listening_ = !listeners_.empty();
  tasks_.spawn("switchboard.restore", switchboard_->restore());
  tasks_.spawn("switchboard.timers", switchboard_->run());
}

void XmppEdge::listen(const std::string& where, bool direct_tls) {
  if (where.empty()) {
    return;
  }
  const char* option = direct_tls ? "xmpps-listen" : "xmpp-listen";
  auto endpoint = parse_endpoint(where);
  if (!endpoint) {
    throw std::runtime_error(fmt::format("{} '{}' is not address:port", option, where));
  }
  auto listener = std::make_unique<xmpp::S2sListener>(ioc_.get_executor(), *inbound_, direct_tls);
  auto bound = listener->listen(*endpoint);
  if (!bound) {
    throw std::runtime_error(
        fmt::format("{} {}: cannot listen: {}", option, where, bound.error().message()));
  }
  log_.info("xmpp.listening", {{"address", bound->address().to_string()},
                               {"port", bound->port()},
                               {"direct_tls", direct_tls}});
  tasks_.spawn(direct_tls ? "xmpps_listener" : "xmpp_listener", listener->run());
  listeners_.push_back(std::move(listener));
}

void XmppEdge::stop() {
  listening_ = false;
  for (auto& l : listeners_) {
    l->stop();
  }
  if (pool_) {
    pool_->shutdown();
  }
}

// Open federation: XMPP first (XEP-0368 and RFC 6120 SRV), then SIP federation SRV; the
// answer is remembered in open_federation_cache for every node.
asio::awaitable<std::optional<presence::Protocol>> XmppEdge::discover(std::string domain) {
  std::optional<presence::Protocol> found;
  for (auto service :
       {SrvService::xmpps_server, SrvService::xmpp_server, SrvService::sipfederationtls}) {
    auto answer = co_await resolver_->resolve_srv(srv_name(service, domain));
    if (answer && !answer->empty() && !(answer->size() == 1 && answer->front().host == ".")) {
      found = service == SrvService::sipfederationtls ? presence::Protocol::sip
                                                      : presence::Protocol::xmpp;
      break;
    }
  }
  if (!found) {
    co_return found;
  }
  std::string protocol = *found == presence::Protocol::xmpp ? "xmpp" : "sip";
  auto saved = co_await db_.run([domain, protocol](pqxx::connection& c) {
    pqxx::work tx{c};
    tx.exec_params(
        "INSERT INTO open_federation_cache (domain, protocol) VALUES ($1, $2) "
        "ON CONFLICT (domain) DO NOTHING",
        domain, protocol);
    tx.commit();
  });
  if (!saved) {
    log_.warn("federation.cache_write_failed",
              {{"peer", domain}, {"error", saved.error().message()}});
  }
  co_return found;
}

}  // namespace fedgate::gateway
