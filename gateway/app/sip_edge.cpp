// SipEdge: wiring of the SIP connection manager into the node — resolver, TLS, transport
// settings backed by the live policy (allow-list, incoming ACL), pool, listeners, routing,
// the agent. RFC 3261 §18 (transports), RFC 3263 (locating servers), RFC 5630 (TLS).
#include "gateway/app/sip_edge.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <stdexcept>

#include "gateway/admin/admin_server.hpp"
#include "gateway/app/sip_edge_persist.hpp"
#include "gateway/net/caching_resolver.hpp"
#include "gateway/net/cares_resolver.hpp"
#include "gateway/net/srv_order.hpp"
#include "gateway/net/tls_context.hpp"
#include "sip/bridge/agent_peer_subjects.hpp"
#include "sip/transport/incoming_acl.hpp"

// GCC 12 (-O1, ASan): Asio coroutine frame new/delete false positive (see sip_net).
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

namespace fedgate::gateway {

namespace asio = boost::asio;

struct SipEdge::Forward final : sip::MessageHandler {
  asio::awaitable<void> on_message(sip::Message m, sip::ConnectionHandle from) override {
    auto handling = agent->on_message(std::move(m), std::move(from));
    co_await std::move(handling);
  }
  bool take_messages(std::vector<sip::Message>& batch, const sip::ConnectionHandle& from) override {
    return agent->take_messages(batch, from);
  }
  sip::SipAgent* agent = nullptr;
};

namespace {

TlsSettings tls_settings(const NodeConfig& config) {
  TlsSettings s;
  s.identity = {config.tls_cert, config.tls_key};
  s.ca = config.tls_ca;
  s.min_version = config.tls_min_version == "1.3" ? TlsVersion::tls1_3 : TlsVersion::tls1_2;
  s.cipher_list = config.tls_ciphers;
  return s;
}

std::uint16_t port_of(const std::string& where, std::uint16_t fallback) {
  auto endpoint = parse_endpoint(where);
  return endpoint ? endpoint->port() : fallback;
}

}  // namespace

SipEdge::SipEdge(asio::io_context& ioc, const NodeConfig& config, TaskGroup& tasks,
                 MetricsRegistry& metrics, Logger log, Switchboard& switchboard)
    : ioc_(ioc),
      config_(config),
      tasks_(tasks),
      registry_(metrics),
      log_(log.with({{"component", "sip_edge"}})),
      switchboard_(switchboard),
      metrics_(metrics),
      strand_(asio::make_strand(ioc.get_executor())) {}

SipEdge::~SipEdge() = default;

std::shared_ptr<const presence::PolicySnapshot> SipEdge::policy() const {
  static const auto kEmpty =
      std::make_shared<const presence::PolicySnapshot>(presence::PolicyRows{});
  auto v = view();
  return v ? v->policy : kEmpty;
}

void SipEdge::on_policy(const std::shared_ptr<const presence::PolicyRows>& rows) {
  auto v = std::make_shared<View>();
  v->rows = rows;
  v->policy = std::make_shared<const presence::PolicySnapshot>(*rows);
  v->allow_subject = sip::subject_filter(peer_subjects(*rows));
  v->acl = acl_entries(*rows);
  view_.store(std::move(v));
  if (routes_) {
    routes_->set_static_routes(std::make_shared<const sip::StaticRoutes>(routes_with_homes(*rows)));
  }
  if (agent_) {  // homes and partners added or removed in SQL are pinged from the next round
    agent_->set_keepalive_peers(keepalive_peers(*rows));
  }
}

void SipEdge::make_resolver() {
  CaresOptions options;
  options.servers = config_.dns_server;
  auto created = CaresResolver::create(ioc_.get_executor(), options);
  if (!created) {
    throw std::runtime_error(fmt::format("dns-server '{}': {}", config_.dns_server,
                                         created.error().message()));
  }
  cares_ = std::move(*created);
  resolver_ = std::make_unique<CachingResolver>(*cares_, CacheOptions{});
}

// The allow-list and the ACL read the current View on every connection: a policy change
// applies to the next connection without a restart.
sip::TransportConfig SipEdge::transport_config() {
  sip::TransportConfig c;
  c.allow_subject = [this](const CertificateInfo& cert) {
    auto v = view();
    return v && (!v->allow_subject || v->allow_subject(cert));
  };
  c.incoming_acl = [this](const sip::InboundPeer& peer) {
    auto v = view();
    if (!v) {
      return false;
    }
    if (v->acl.empty() || sip::acl_admits(v->acl, peer)) {
      return true;
    }
    metrics_.refused("incoming_acl");
    log_.info("sip.edge.acl_refused", {{"peer", sip::describe(peer)}, {"reason", "incoming_acl"}});
    return false;
  };
  return c;
}

void SipEdge::make_transport() {
  transport_config_ = std::make_unique<sip::TransportConfig>(transport_config());
  transport_metrics_ = std::make_unique<sip::SipTransportMetrics>(registry_);
  agent_metrics_ = std::make_unique<sip::AgentMetrics>(registry_);
  forward_ = std::make_unique<Forward>();
  deps_ = std::make_unique<sip::ConnectionDeps>(
      sip::ConnectionDeps{*transport_config_, *forward_, *transport_metrics_, log_, nullptr});
  auto client = TlsContext::client(tls_settings(config_));
  if (!client) {
    throw std::runtime_error(fmt::format("SIP TLS from tls-cert {}: {}",
                                         config_.tls_cert.string(), client.error().message()));
  }
  pool_ = std::make_unique<sip::ConnectionPool>(ioc_.get_executor(), tasks_, *deps_, *resolver_,
                                                *client);
  deps_->pool = pool_.get();
}

void SipEdge::make_agent(const presence::PolicyRows& rows) {
  routes_ = std::make_unique<sip::RouteResolver>(*resolver_, default_srv_random());
  routes_->set_static_routes(std::make_shared<const sip::StaticRoutes>(routes_with_homes(rows)));
  agent_config_.routing_fqdn = rows.settings.federation_routing_fqdn.empty()
                                   ? config_.node_fqdn
                                   : rows.settings.federation_routing_fqdn;
  agent_config_.port = port_of(config_.sip_tls_listen, 5061);
  agent_config_.keepalive_peers = keepalive_peers(rows);
  agent_config_.user_agent = "fedgate";
  agent_ = std::make_unique<sip::SipAgent>(ioc_.get_executor(), agent_config_, *pool_, *routes_,
                                           *this, *agent_metrics_, log_);
  forward_->agent = agent_.get();
}

void SipEdge::start(const presence::PolicyRows& rows) {
  on_policy(std::make_shared<const presence::PolicyRows>(rows));
  make_resolver();
  make_transport();
  make_agent(rows);
  if (persist_) {
    persist_->start(*agent_);  // stored dialogs back before the listeners accept
  }
  listen_tls();
  listen_tcp();
  listen_udp();
  agent_->start();
  metrics_.listeners(static_cast<std::int64_t>(listeners_.size() + (udp_ ? 1 : 0)));
  listening_ = !listeners_.empty() || udp_ != nullptr;
  switchboard_.set_sip_side(this);
  log_.info("sip.edge.started", {{"routing_fqdn", agent_config_.routing_fqdn},
                                 {"keepalive_peers", agent_config_.keepalive_peers.size()}});
}

void SipEdge::listen_tls() {
  if (config_.sip_tls_listen.empty()) {
    return;
  }
  auto endpoint = parse_endpoint(config_.sip_tls_listen);
  if (!endpoint) {
    throw std::runtime_error(fmt::format("sip-tls-listen '{}' is not address:port",
                                         config_.sip_tls_listen));
  }
  auto server = TlsContext::server(tls_settings(config_));
  if (!server) {
    throw std::runtime_error(fmt::format("SIP TLS from tls-cert {}: {}",
                                         config_.tls_cert.string(), server.error().message()));
  }
  auto listener = std::make_unique<sip::Listener>(ioc_.get_executor(), tasks_, *deps_, *server);
  if (auto bound = listener->listen(*endpoint); !bound) {
    throw std::runtime_error(fmt::format("sip-tls-listen {}: cannot listen: {}",
                                         config_.sip_tls_listen, bound.error().message()));
  }
  log_.info("sip.listening", {{"address", endpoint->address().to_string()},
                              {"port", listener->local_endpoint().port()},
                              {"transport", "tls"}});
  tasks_.spawn("sip_tls_listener", asio::co_spawn(listener->executor(), listener->run(),
                                                  asio::use_awaitable));
  listeners_.push_back(std::move(listener));
}

void SipEdge::listen_tcp() {
  if (config_.sip_tcp_listen.empty()) {
    return;
  }
  auto endpoint = parse_endpoint(config_.sip_tcp_listen);
  if (!endpoint) {
    throw std::runtime_error(fmt::format("sip-tcp-listen '{}' is not address:port",
                                         config_.sip_tcp_listen));
  }
  auto listener =
      std::make_unique<sip::Listener>(ioc_.get_executor(), tasks_, *deps_, std::nullopt);
  if (auto bound = listener->listen(*endpoint); !bound) {
    throw std::runtime_error(fmt::format("sip-tcp-listen {}: cannot listen: {}",
                                         config_.sip_tcp_listen, bound.error().message()));
  }
  log_.info("sip.listening", {{"address", endpoint->address().to_string()},
                              {"port", listener->local_endpoint().port()},
                              {"transport", "tcp"}});
  tasks_.spawn("sip_tcp_listener", asio::co_spawn(listener->executor(), listener->run(),
                                                  asio::use_awaitable));
  listeners_.push_back(std::move(listener));
}

void SipEdge::listen_udp() {
  if (config_.sip_udp_listen.empty()) {
    return;
  }
  auto endpoint = parse_endpoint(config_.sip_udp_listen);
  if (!endpoint) {
    throw std::runtime_error(fmt::format("sip-udp-listen '{}' is not address:port",
                                         config_.sip_udp_listen));
  }
  udp_ = std::make_unique<sip::UdpEndpoint>(ioc_.get_executor(), *deps_);
  asio::ip::udp::endpoint local{endpoint->address(), endpoint->port()};
  if (auto opened = udp_->open(local); !opened) {
    throw std::runtime_error(fmt::format("sip-udp-listen {}: cannot listen: {}",
                                         config_.sip_udp_listen, opened.error().message()));
  }
  pool_->attach_udp(udp_.get());
  log_.info("sip.listening", {{"address", endpoint->address().to_string()},
                              {"port", udp_->local_endpoint().port()},
                              {"transport", "udp"}});
  tasks_.spawn("sip_udp_endpoint", asio::co_spawn(udp_->executor(), udp_->run(),
                                                  asio::use_awaitable));
}

void SipEdge::stop() {
  listening_ = false;  // the switchboard keeps its SipSide pointer: the edge outlives it
  for (auto& l : listeners_) {
    l->close();
  }
  if (udp_) {
    udp_->close();
  }
  if (agent_) {
    agent_->stop();
  }
}

void SipEdge::spawn(std::string name, asio::awaitable<void> work) {
  // The inner thread filters all but terminal cancellation by default: the task group's
  // cancel() at shutdown must reach a request still waiting on a departed peer.
  auto total = [](asio::awaitable<void> w) -> asio::awaitable<void> {
    co_await asio::this_coro::reset_cancellation_state(asio::enable_total_cancellation());
    co_await std::move(w);
  };
  auto task = total(std::move(work));
  tasks_.spawn(std::move(name), asio::co_spawn(strand_, std::move(task), asio::use_awaitable));
}

std::optional<sip::Answer> SipEdge::screen_sender(const presence::Address& from) {
  auto p = policy();
  if (p->is_local(from.domain()) || p->classify(from.domain()).protocol == presence::Protocol::sip) {
    return std::nullopt;
  }
  metrics_.refused("domain_not_federated");
  log_.info("sip.edge.refused", {{"peer", from.domain()}, {"reason", "domain_not_federated"}});
  sip::Answer a;
  a.status = 403;
  a.reason = "Forbidden";
  return a;
}

void SipEdge::on_peer_status(sip::PeerStatusEvent e) {
  metrics_.event(e.up ? "peer_up" : "peer_down");
  log_.info("sip.edge.peer_status", {{"peer", e.peer}, {"up", e.up}, {"status", e.status}});
}

}  // namespace fedgate::gateway
