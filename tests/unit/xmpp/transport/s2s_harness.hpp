// Test harness for the XMPP s2s transport: a test PKI, one fedgate "side" per domain (listener,
// pool, metrics, a collecting stanza handler, bounce and delivered sinks), and a bounded
// io_context runner. Loopback only (port 0); every wait has a limit. Owned by the xmpp_net
// unit tests.
#pragma once

#include <boost/asio/io_context.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gateway/net/fake_resolver.hpp"
#include "gateway/net/test_pki.hpp"
#include "xmpp/transport/s2s_listener.hpp"
#include "xmpp/transport/s2s_pool.hpp"

namespace fedgate::xmpp::test {

struct Pki {
  Pki();
  // TLS settings with `name`.pem/.key as our certificate, trusting the test CA.
  gateway::TlsSettings settings(const std::string& name) const;
  gateway::TestDir dir;
  std::optional<gateway::TestCa> ca;
};

class Collector final : public StanzaHandler {
 public:
  boost::asio::awaitable<void> on_stanza(Element stanza) override;
  std::vector<Element> stanzas;
  bool hold = false;  // on_stanza does not return while set (a slow commit)
  int started = 0;    // on_stanza calls so far, returned or not
};

// One fedgate node serving `domain`, with certificate `cert` (a file name in the PKI dir).
struct Side {
  Side(boost::asio::io_context& io, const Pki& pki, std::string domain, std::string cert);
  ~Side();
  // Listens on 127.0.0.1:0 and starts accepting; returns the port.
  std::uint16_t listen(bool direct_tls = false);
  // The pool dials `domain` at 127.0.0.1:port (FakeResolver SRV + A records).
  void route(const std::string& domain, std::uint16_t port, bool direct_tls = false);
  double metric(const std::string& name, const Labels& labels = {}) const;
  // No TLS at all, dialback (XEP-0220) to authenticate; also serve `more` domains.
  void dialback_only(std::vector<std::string> more = {});

  std::string domain;
  MetricsRegistry registry;
  S2sMetrics metrics{registry};
  StreamConfig stream_config;
  S2sConfig config;
  gateway::FakeResolver resolver;
  Collector handler;
  std::vector<std::pair<Element, StanzaErrc>> bounced;
  std::vector<std::string> delivered;  // ids acknowledged by XEP-0198 (DeliveredFn)
  InboundDeps inbound{config, handler, metrics, Logger{}};
  std::unique_ptr<S2sListener> listener;
  std::unique_ptr<S2sPool> pool;
  boost::asio::io_context& io;
};

// `a` and `b` without TLS, authenticated by dialback, each listening and routed to the other.
void dialback_pair(Side& a, Side& b);

// A TCP relay in front of a listener, which the test can cut (every relayed connection is
// closed at once: a transport killed mid-flight). Accepts again afterwards.
class Relay {
 public:
  Relay(boost::asio::io_context& io, std::uint16_t target);
  std::uint16_t port() const { return port_; }
  void cut();
  int accepted = 0;

 private:
  using Socket = boost::asio::ip::tcp::socket;
  boost::asio::awaitable<void> accept_loop();
  boost::asio::io_context& io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::uint16_t target_;
  std::uint16_t port_ = 0;
  std::vector<std::shared_ptr<Socket>> sockets_;
};

Element chat(const std::string& from, const std::string& to, const std::string& body);
// Runs `io` until `done()` or `limit` passes; returns done().
bool run_until(boost::asio::io_context& io, const std::function<bool()>& done,
               Duration limit = std::chrono::seconds(10));

}  // namespace fedgate::xmpp::test
