#include "s2s_harness.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "xmpp/codec/namespaces.hpp"

namespace fedgate::xmpp::test {
namespace {

namespace asio = boost::asio;
std::atomic<int> g_stream_ids{1};

std::shared_ptr<const StreamConfig> make_stream_config(std::string domain) {
  auto c = std::make_shared<StreamConfig>();
  c->security.dialback_secret = "test-secret";
  c->security.dialback_allowed = false;  // these tests prove SASL EXTERNAL
  c->serves = [domain](std::string_view d) { return d == domain; };
  c->new_stream_id = [] { return "id-" + std::to_string(g_stream_ids++); };
  c->timeouts.handshake = std::chrono::seconds(5);
  return c;
}

}  // namespace

Pki::Pki() {
  auto created = gateway::TestCa::create(dir.path());
  if (created) {
    ca = std::move(*created);
    (void)ca->issue("a", gateway::good_spec("a.example"));
    (void)ca->issue("b", gateway::good_spec("b.example"));
    (void)ca->issue("b-self", gateway::self_signed_spec("b.example"));
    (void)ca->issue("a-self", gateway::self_signed_spec("a.example"));
  }
}

gateway::TlsSettings Pki::settings(const std::string& name) const {
  gateway::TlsSettings s;
  s.identity = {dir.path() / (name + ".pem"), dir.path() / (name + ".key")};
  s.ca = ca->cert_pem();
  return s;
}

void dialback_pair(Side& a, Side& b) {
  a.dialback_only();
  b.dialback_only();
  a.route(b.domain, b.listen());
  b.route(a.domain, a.listen());
}

asio::awaitable<void> Collector::on_stanza(Element stanza) {
  ++started;
  auto ex = co_await asio::this_coro::executor;
  asio::steady_timer timer(ex);
  while (hold) {
    timer.expires_after(std::chrono::milliseconds(5));
    co_await timer.async_wait(asio::use_awaitable);
  }
  stanzas.push_back(std::move(stanza));
}

Side::Side(asio::io_context& io_, const Pki& pki, std::string domain_, std::string cert)
    : domain(std::move(domain_)), io(io_) {
  config.stream = make_stream_config(domain);
  auto server = gateway::TlsContext::server(pki.settings(cert));
  auto client = gateway::TlsContext::client(pki.settings(cert));
  if (server && client) {
    config.server_tls = *server;
    config.client_tls = *client;
  }
  config.connect_timeout = std::chrono::seconds(2);
  config.tls_timeout = std::chrono::seconds(2);
  auto bounce = [this](Element stanza, StanzaErrc condition) {
    bounced.emplace_back(std::move(stanza), condition);
  };
  auto acknowledged = [this](std::string_view id) { delivered.emplace_back(id); };
  pool = std::make_unique<S2sPool>(io.get_executor(), config, resolver, metrics, bounce, Logger{},
                                   acknowledged);
  inbound.pool = pool.get();
}

void Side::dialback_only(std::vector<std::string> more) {
  config.server_tls.reset();
  config.client_tls.reset();
  auto c = std::make_shared<StreamConfig>(*config.stream.load());
  c->tls_available = false;
  c->security.dialback_allowed = true;
  more.push_back(domain);
  c->serves = [more](std::string_view d) {
    return std::find(more.begin(), more.end(), d) != more.end();
  };
  config.stream = c;
}

Side::~Side() {
  if (listener) {
    listener->stop();
  }
}

std::uint16_t Side::listen(bool direct_tls) {
  listener = std::make_unique<S2sListener>(io.get_executor(), inbound, direct_tls);
  auto bound = listener->listen({asio::ip::make_address("127.0.0.1"), 0});
  if (!bound) {
    return 0;
  }
  asio::co_spawn(io, listener->run(), asio::detached);
  return bound->port();
}

void Side::route(const std::string& remote, std::uint16_t port, bool direct_tls) {
  auto service = direct_tls ? gateway::SrvService::xmpps_server : gateway::SrvService::xmpp_server;
  gateway::SrvTarget target{"xmpp." + remote, port, 0, 0, 60};
  resolver.set_srv(gateway::srv_name(service, remote), std::vector{target});
  gateway::AddressRecord record{asio::ip::make_address("127.0.0.1"), 60};
  resolver.set_host("xmpp." + remote, std::vector{record});
}

double Side::metric(const std::string& name, const Labels& labels) const {
  return registry.value(name, labels);
}

namespace {

asio::awaitable<void> pump(std::shared_ptr<asio::ip::tcp::socket> from,
                           std::shared_ptr<asio::ip::tcp::socket> to) {
  std::array<char, 4096> buffer{};
  for (int i = 0; i < 100000; ++i) {  // bounded: ends at the first error anyway
    auto [ec, n] =
        co_await from->async_read_some(asio::buffer(buffer), asio::as_tuple(asio::use_awaitable));
    if (ec) {
      break;
    }
    auto [wec, written] = co_await asio::async_write(*to, asio::buffer(buffer.data(), n),
                                                     asio::as_tuple(asio::use_awaitable));
    if (wec) {
      break;
    }
  }
  boost::system::error_code ignored;
  to->close(ignored);
  from->close(ignored);
}

}  // namespace

Relay::Relay(asio::io_context& io, std::uint16_t target)
    : io_(io), acceptor_(io, {asio::ip::make_address("127.0.0.1"), 0}), target_(target) {
  port_ = acceptor_.local_endpoint().port();
  asio::co_spawn(io_, accept_loop(), asio::detached);
}

asio::awaitable<void> Relay::accept_loop() {
  for (int i = 0; i < 100; ++i) {
    auto [ec, accepted_socket] =
        co_await acceptor_.async_accept(asio::as_tuple(asio::use_awaitable));
    if (ec) {
      co_return;
    }
    auto in = std::make_shared<Socket>(std::move(accepted_socket));
    auto out = std::make_shared<Socket>(io_);
    auto [cec] = co_await out->async_connect({asio::ip::make_address("127.0.0.1"), target_},
                                             asio::as_tuple(asio::use_awaitable));
    if (cec) {
      continue;
    }
    ++accepted;
    sockets_.push_back(in);
    sockets_.push_back(out);
    asio::co_spawn(io_, pump(in, out), asio::detached);
    asio::co_spawn(io_, pump(out, in), asio::detached);
  }
}

void Relay::cut() {
  for (auto& socket : sockets_) {
    boost::system::error_code ignored;
    socket->close(ignored);
  }
  sockets_.clear();
}

Element chat(const std::string& from, const std::string& to, const std::string& body) {
  Element message("message", std::string(kNsServer));
  message.set("from", from).set("to", to).set("type", "chat").set("id", "m1");
  Element text("body", std::string(kNsServer));
  text.text = body;
  message.add_child(std::move(text));
  return message;
}

bool run_until(asio::io_context& io, const std::function<bool()>& done, Duration limit) {
  const auto deadline = Clock::now() + limit;
  while (!done() && Clock::now() < deadline) {
    if (io.stopped()) {
      io.restart();
    }
    io.run_one_for(std::chrono::milliseconds(20));
  }
  return done();
}

}  // namespace fedgate::xmpp::test
