// Test harness for the SIP agent: one node (listener, pool, agent, recording AgentEvents) per
// domain on a shared io_context, mutual TLS from gateway/net's test PKI, loopback port 0, and
// a FakeResolver for routing. Every wait is bounded (wait_for polls at most 5 s; run() 20 s).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gateway/base/metrics.hpp"
#include "gateway/base/task_group.hpp"
#include "gateway/net/fake_resolver.hpp"
#include "gateway/net/test_pki.hpp"
#include "sip/bridge/agent.hpp"
#include "sip/transport/listener.hpp"

namespace fedgate::sip::test {

// Records every event; answers with `answer` (200 OK by default, `first_body` on SUBSCRIBE).
class RecordingEvents final : public AgentEvents {
 public:
  boost::asio::awaitable<Answer> on_page_message(PageMessageEvent e) override;
  boost::asio::awaitable<Answer> on_subscribe(SubscribeEvent e) override;
  boost::asio::awaitable<Answer> on_publish(PublishEvent e) override;
  boost::asio::awaitable<Answer> on_invite(InviteEvent e) override;
  void on_notify(NotifyEvent e) override { notifies.push_back(std::move(e)); }
  void on_subscription_ended(SubscriptionEndedEvent e) override { ended.push_back(std::move(e)); }
  void on_watcher_gone(WatcherGoneEvent e) override { gone.push_back(std::move(e)); }
  void on_session_message(SessionMessageEvent e) override { in_session.push_back(std::move(e)); }
  // Records the message and answers `session_answer` (200 by default).
  boost::asio::awaitable<Answer> decide_session_message(SessionMessageEvent e) override;
  // With `decide_now`: the same without a coroutine (answered at once).
  bool decide_session_message_now(SessionMessageEvent& e,
                                  std::function<void(Answer)>& done) override;
  void on_session_ended(SessionEndedEvent e) override { sessions_ended.push_back(std::move(e)); }
  void on_peer_status(PeerStatusEvent e) override { peers.push_back(std::move(e)); }

  Answer answer;
  Answer invite_answer;
  Answer session_answer;
  bool decide_now = false;
  Duration invite_delay{};  // the layer above takes this long to decide
  std::optional<Body> first_body;
  std::vector<InviteEvent> invites;
  std::vector<SessionMessageEvent> in_session;
  std::vector<SessionEndedEvent> sessions_ended;
  std::vector<PageMessageEvent> messages;
  std::vector<SubscribeEvent> subscribes;
  std::vector<PublishEvent> publishes;
  std::vector<NotifyEvent> notifies;
  std::vector<SubscriptionEndedEvent> ended;
  std::vector<WatcherGoneEvent> gone;
  std::vector<PeerStatusEvent> peers;
};

// A CA and a certificate per name (client and server usage), in a scratch directory.
struct Pki {
  explicit Pki(std::vector<std::string> names);
  gateway::TlsSettings settings(const std::string& name) const;
  gateway::TestDir dir;
  std::optional<gateway::TestCa> ca;
};

// One fedgate-like node for `domain`, listening on 127.0.0.1:`port` (0: any) with the
// certificate `domain`. A given port lets a restarted node take over its predecessor's.
class Node {
 public:
  Node(boost::asio::io_context& io, const Pki& pki, std::string domain, AgentConfig config = {},
       std::uint16_t port = 0);
  ~Node();
  std::uint16_t port() const { return port_; }
  // Makes `other` reachable from this node: SRV _sipfederationtls._tcp.DOMAIN, then A.
  void knows(const Node& other);
  void stop();

  std::string domain;
  RecordingEvents events;
  MetricsRegistry registry;
  gateway::FakeResolver dns;
  TaskGroup tasks;
  std::unique_ptr<SipAgent> agent;

 private:
  struct Forward;
  TransportConfig transport_;
  SipTransportMetrics transport_metrics_{registry};
  AgentMetrics agent_metrics_{registry};
  std::unique_ptr<Forward> forward_;
  std::unique_ptr<ConnectionDeps> deps_;
  std::unique_ptr<ConnectionPool> pool_;
  std::unique_ptr<Listener> listener_;
  std::unique_ptr<RouteResolver> routes_;
  std::uint16_t port_ = 0;
};

// Polls `done` every 10 ms for at most `limit`; true when it held.
boost::asio::awaitable<bool> wait_for(std::function<bool()> done,
                                      Duration limit = std::chrono::seconds(5));
// wait_for as a task for run().
boost::asio::awaitable<void> until(std::function<bool()> done);
// Runs `work` to completion (at most 20 s), then stops the nodes and drains them.
bool run(boost::asio::io_context& io, boost::asio::awaitable<void> work, std::vector<Node*> nodes);
presence::Address address(std::string_view text);

}  // namespace fedgate::sip::test
