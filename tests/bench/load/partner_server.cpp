#include "tests/bench/load/partner_server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

// GCC 12 (-O1, ASan): Asio coroutine frame new/delete false positive (see sip_net).
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

namespace fedgate::load {

namespace asio = boost::asio;

namespace {

gateway::TlsSettings tls_settings(const PartnerSettings& s) {
  gateway::TlsSettings t;
  t.identity = {s.cert + ".crt", s.cert + ".key"};
  t.ca = s.ca;
  t.max_version = gateway::TlsVersion::tls1_2;  // what Lync / Skype for Business speak
  return t;
}

}  // namespace

namespace {

asio::awaitable<void> handle_counted(sip::SipAgent& agent, sip::Message m,
                                     sip::ConnectionHandle from, std::size_t& handling) {
  auto work = agent.on_message(std::move(m), std::move(from));
  co_await std::move(work);
  --handling;
}

}  // namespace

// The connection's read loop awaits its handler for every message; awaiting the agent (a hop to
// its strand and back) let the loop read one message per pass of the whole io queue, and
// fedgate's answers piled up unread behind the generator's own work. The agent's strand keeps
// the connection's order (one thread: spawns run in the order they were made).
asio::awaitable<void> PartnerServer::Forward::on_message(sip::Message m,
                                                         sip::ConnectionHandle from) {
  dispatch(m, from);
  lean->flush_answers(from);
  co_return;
}

// The transport's fast path: a whole read, no coroutine per message.
bool PartnerServer::Forward::take_messages(std::vector<sip::Message>& batch,
                                           const sip::ConnectionHandle& from) {
  for (auto& m : batch) {
    dispatch(m, from);
  }
  batch.clear();
  lean->flush_answers(from);
  return true;
}

void PartnerServer::Forward::dispatch(sip::Message& m, const sip::ConnectionHandle& from) {
  if (lean->take(m)) {
    return;
  }
  lean->observe(m, from);
  ++*handling;
  asio::co_spawn(ex, handle_counted(*agent, std::move(m), from, *handling), asio::detached);
}

PartnerServer::PartnerServer(asio::any_io_executor ex, PartnerSettings settings,
                             sip::AgentEvents& events, std::size_t users)
    : ex_(std::move(ex)),
      settings_(std::move(settings)),
      events_(events),
      deps_{transport_, forward_, transport_metrics_, Logger{}.with({{"side", "partner"}})},
      tasks_(ex_),
      lean_(users, settings_.listen_addr, settings_.listen_port) {
  transport_.mailbox_capacity = std::size_t{1} << 20;  // the generator never refuses to queue
  transport_.idle_timeout = std::chrono::hours(1);
  transport_.max_connections_per_address = 1000;
}

PartnerServer::~PartnerServer() { stop(); }

// SRV for the local domain and A records for every name fedgate may put in a Contact.
void PartnerServer::add_routes() {
  const std::string& primary = settings_.fedgate_names.front();
  gateway::SrvTarget target{primary, settings_.fedgate_port, 0, 0, 3600};
  resolver_.set_srv(
      gateway::srv_name(gateway::SrvService::sipfederationtls, settings_.local_domain),
      std::vector{target});
  gateway::AddressRecord a{asio::ip::make_address(settings_.fedgate_addr), 3600};
  for (const auto& name : settings_.fedgate_names) {
    resolver_.set_host(name, std::vector{a});
  }
  resolver_.set_host(settings_.fedgate_addr, std::vector{a});
}

std::string PartnerServer::start() {
  auto client = gateway::TlsContext::client(tls_settings(settings_));
  auto server = gateway::TlsContext::server(tls_settings(settings_));
  if (!client || !server) {
    return "partner TLS contexts: " + (client ? server.error() : client.error()).message();
  }
  add_routes();
  pool_ = std::make_unique<sip::ConnectionPool>(ex_, tasks_, deps_, resolver_, *client);
  deps_.pool = pool_.get();
  listener_ = std::make_unique<sip::Listener>(ex_, tasks_, deps_, *server);
  auto bound =
      listener_->listen({asio::ip::make_address(settings_.listen_addr), settings_.listen_port});
  if (!bound) {
    return "partner listen " + settings_.listen_addr + ": " + bound.error().message();
  }
  asio::co_spawn(listener_->executor(), listener_->run(), asio::detached);
  routes_ = std::make_unique<sip::RouteResolver>(resolver_, gateway::default_srv_random());
  sip::AgentConfig config;
  config.routing_fqdn = settings_.listen_addr;  // Contact/Via: no DNS needed to reach us
  config.local_domain = settings_.domain;
  config.port = settings_.listen_port;
  config.user_agent = "fedgate-load (Skype for Business dialect)";
  agent_ = std::make_unique<sip::SipAgent>(ex_, config, *pool_, *routes_, events_, agent_metrics_,
                                           Logger{}.with({{"side", "partner"}}));
  forward_.agent = agent_.get();
  forward_.ex = ex_;
  forward_.handling = &handling_;
  forward_.lean = &lean_;
  agent_->start();
  return {};
}

void PartnerServer::stop() {
  if (agent_) {
    agent_->stop();
  }
  if (listener_) {
    listener_->close();
  }
  tasks_.cancel();
}

asio::awaitable<bool> PartnerServer::stopped() {
  if (!agent_) {
    co_return true;
  }
  bool done = co_await agent_->stopped();
  co_return done;
}

}  // namespace fedgate::load
