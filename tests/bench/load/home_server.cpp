#include "tests/bench/load/home_server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <random>

namespace fedgate::load {

namespace asio = boost::asio;

namespace {

std::shared_ptr<const xmpp::StreamConfig> stream_config(const std::string& domain) {
  auto c = std::make_shared<xmpp::StreamConfig>();
  c->security.tls_mode = xmpp::TlsMode::tls_required;
  c->security.dialback_allowed = false;  // certificates only: SASL EXTERNAL (XEP-0178)
  c->security.dialback_secret = "load-generator";
  c->serves = [domain](std::string_view d) { return d == domain; };
  c->new_stream_id = [] {
    static std::mt19937_64 random{std::random_device{}()};
    return "lg-" + std::to_string(random());
  };
  c->timeouts.idle = std::chrono::hours(1);
  return c;
}

gateway::TlsSettings tls_settings(const HomeSettings& s) {
  gateway::TlsSettings t;
  t.identity = {s.cert + ".crt", s.cert + ".key"};
  t.ca = s.ca;
  return t;
}

}  // namespace

HomeServer::HomeServer(asio::any_io_executor ex, HomeSettings settings,
                       xmpp::StanzaHandler& handler)
    : ex_(std::move(ex)),
      settings_(std::move(settings)),
      inbound_{config_, handler, metrics_, Logger{}.with({{"side", "home"}})} {}

HomeServer::~HomeServer() { stop(); }

std::string HomeServer::start() {
  auto server = gateway::TlsContext::server(tls_settings(settings_));
  auto client = gateway::TlsContext::client(tls_settings(settings_));
  if (!server || !client) {
    return "home TLS contexts: " + (server ? client.error() : server.error()).message();
  }
  config_.stream = stream_config(settings_.domain);
  config_.server_tls = *server;
  config_.client_tls = *client;
  config_.queue_limit = std::size_t{1} << 22;  // the generator never bounces for lack of room
  config_.max_inbound_per_address = 1000;
  config_.hibernate_after = std::chrono::hours(1);
  xmpp::StaticRoute route{settings_.fedgate_addr, settings_.fedgate_port, false};
  std::string remote = settings_.remote;
  config_.static_route = [route, remote](std::string_view d) -> std::optional<xmpp::StaticRoute> {
    return d == remote ? std::optional(route) : std::nullopt;
  };
  gateway::AddressRecord a{asio::ip::make_address(settings_.fedgate_addr), 3600};
  resolver_.set_host(settings_.fedgate_addr, std::vector{a});
  auto bounce = [this](xmpp::Element, xmpp::StanzaErrc) { ++bounced_; };
  pool_ = std::make_unique<xmpp::S2sPool>(ex_, config_, resolver_, metrics_, bounce,
                                          Logger{}.with({{"side", "home"}}));
  inbound_.pool = pool_.get();
  listener_ = std::make_unique<xmpp::S2sListener>(ex_, inbound_, false);
  auto bound =
      listener_->listen({asio::ip::make_address(settings_.listen_addr), settings_.listen_port});
  if (!bound) {
    return "home listen " + settings_.listen_addr + ": " + bound.error().message();
  }
  asio::co_spawn(ex_, listener_->run(), asio::detached);
  return {};
}

void HomeServer::send(xmpp::Element stanza) {
  pool_->send(xmpp::DomainPair{settings_.domain, settings_.remote}, std::move(stanza));
}

void HomeServer::stop() {
  if (listener_) {
    listener_->stop();
  }
  if (pool_) {
    pool_->shutdown();
  }
}

}  // namespace fedgate::load
