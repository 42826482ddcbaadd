// PartnerServer: the load generator's Microsoft-dialect SIP server of the partner domain — a
// SipAgent (fedgate's sip/bridge + sip/dialog + sip/transport) on a mutual-TLS listener that
// fedgate reaches by a static route, and that reaches fedgate for the local domain by SRV
// (canned answers). Owned by the generator's main; one thread. RFC 3261, RFC 6665, MS-SIPRE.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "gateway/base/metrics.hpp"
#include "gateway/base/task_group.hpp"
#include "gateway/net/fake_resolver.hpp"
#include "sip/bridge/agent.hpp"
#include "sip/transport/listener.hpp"
#include "tests/bench/load/lean_sip.hpp"

namespace fedgate::load {

struct PartnerSettings {
  std::string domain = "partner.test";
  std::string local_domain = "home.test";  // reached through fedgate
  std::string listen_addr = "127.0.0.1";
  std::uint16_t listen_port = 5061;
  std::string fedgate_addr = "127.0.0.1";
  std::uint16_t fedgate_port = 5061;
  std::vector<std::string> fedgate_names = {"fedgate.test", "sip.fedgate.test"};
  std::string cert;  // PATH.crt / PATH.key: sip.<domain> and <domain>
  std::string ca;
};

class PartnerServer {
 public:
  // `events` receives every request fedgate sends; it must outlive the server.
  PartnerServer(boost::asio::any_io_executor ex, PartnerSettings settings,
                sip::AgentEvents& events, std::size_t users);
  ~PartnerServer();
  PartnerServer(const PartnerServer&) = delete;
  PartnerServer& operator=(const PartnerServer&) = delete;

  std::string start();  // a readable error, or empty
  void stop();
  // After stop(): completes once the agent runs no task and holds no message (bounded).
  boost::asio::awaitable<bool> stopped();
  sip::SipAgent& agent() { return *agent_; }
  // The timed phases' SIP path (lean_sip.hpp); messages it does not take go to the agent.
  LeanSip& lean() { return lean_; }
  // Messages from fedgate the agent is still handling (0 before the agent may be destroyed).
  std::size_t handling() const { return handling_; }
  const MetricsRegistry& registry() const { return registry_; }

 private:
  // Gives each message to LeanSip, else to the agent without awaiting it (partner_server.cpp).
  struct Forward final : sip::MessageHandler {
    boost::asio::awaitable<void> on_message(sip::Message m, sip::ConnectionHandle from) override;
    // The transport's fast path (a whole read, no coroutine per message).
    bool take_messages(std::vector<sip::Message>& batch, const sip::ConnectionHandle& from) override;
    void dispatch(sip::Message& m, const sip::ConnectionHandle& from);
    sip::SipAgent* agent = nullptr;
    LeanSip* lean = nullptr;
    boost::asio::any_io_executor ex;
    std::size_t* handling = nullptr;  // messages handed on, not yet handled
  };
  void add_routes();

  boost::asio::any_io_executor ex_;
  PartnerSettings settings_;
  sip::AgentEvents& events_;
  MetricsRegistry registry_;
  sip::SipTransportMetrics transport_metrics_{registry_};
  sip::AgentMetrics agent_metrics_{registry_};
  sip::TransportConfig transport_;
  Forward forward_;
  sip::ConnectionDeps deps_;
  TaskGroup tasks_;
  gateway::FakeResolver resolver_;
  std::unique_ptr<sip::ConnectionPool> pool_;
  std::unique_ptr<sip::Listener> listener_;
  std::unique_ptr<sip::RouteResolver> routes_;
  std::unique_ptr<sip::SipAgent> agent_;
  std::size_t handling_ = 0;
  LeanSip lean_;
};

}  // namespace fedgate::load
