// HomeServer: the load generator's XMPP home server of the local domain — an s2s listener that
// fedgate dials (TLS + SASL EXTERNAL) and an s2s pool that dials fedgate for the partner
// domain, both fedgate's own xmpp/transport. Owned by the generator's main; runs on its
// io_context (one thread). RFC 6120 §4-§6, XEP-0178, XEP-0198.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <cstdint>
#include <memory>
#include <string>

#include "gateway/base/metrics.hpp"
#include "gateway/net/fake_resolver.hpp"
#include "xmpp/transport/s2s_listener.hpp"
#include "xmpp/transport/s2s_pool.hpp"

namespace fedgate::load {

struct HomeSettings {
  std::string domain = "home.test";       // the local domain this server is home of
  std::string remote = "partner.test";    // the partner domain, reached through fedgate
  std::string listen_addr = "127.0.0.1";  // fedgate's home_host
  std::uint16_t listen_port = 5269;
  std::string fedgate_addr = "127.0.0.1";  // fedgate's s2s listener
  std::uint16_t fedgate_port = 5269;
  std::string cert;  // PATH.crt / PATH.key: a certificate for `domain`
  std::string ca;    // the CA that issued fedgate's certificate
};

class HomeServer {
 public:
  // `handler` receives every stanza fedgate delivers; it must outlive the server.
  HomeServer(boost::asio::any_io_executor ex, HomeSettings settings, xmpp::StanzaHandler& handler);
  ~HomeServer();
  HomeServer(const HomeServer&) = delete;
  HomeServer& operator=(const HomeServer&) = delete;

  // Builds the TLS contexts and listens; a readable error string on failure.
  std::string start();
  // Queues `stanza` on the stream (domain -> remote), dialled on first use.
  void send(xmpp::Element stanza);
  void stop();
  std::size_t bounced() const { return bounced_; }
  const MetricsRegistry& registry() const { return registry_; }

 private:
  boost::asio::any_io_executor ex_;
  HomeSettings settings_;
  MetricsRegistry registry_;
  xmpp::S2sMetrics metrics_{registry_};
  xmpp::S2sConfig config_;
  gateway::FakeResolver resolver_;
  xmpp::InboundDeps inbound_;
  std::unique_ptr<xmpp::S2sListener> listener_;
  std::unique_ptr<xmpp::S2sPool> pool_;
  std::size_t bounced_ = 0;
};

}  // namespace fedgate::load
