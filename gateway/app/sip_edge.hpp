// SipEdge: the node's SIP side — TLS/TCP/UDP listeners, the ConnectionPool, the SipAgent and
// its routing (static routes + SIP homes, DNS SRV otherwise), the TLS peer-subject allow-list
// and incoming ACL from the policy (live), the Switchboard's SipSide (effects → agent requests)
// and the agent's AgentEvents (SIP events → the Switchboard's on_*()). Owned by the Node; its
// dialog book lives on its own strand. RFC 3261, RFC 6665, RFC 3428, RFC 7247 §7, MS-SIPRE.
#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gateway/app/node_config.hpp"
#include "gateway/app/sip_edge_book.hpp"
#include "gateway/app/sip_edge_metrics.hpp"
#include "gateway/app/sip_side.hpp"
#include "gateway/app/switchboard.hpp"
#include "gateway/base/log.hpp"
#include "gateway/base/task_group.hpp"
#include "gateway/net/resolver.hpp"
#include "presence/policy_snapshot.hpp"
#include "sip/bridge/agent.hpp"
#include "sip/bridge/convert_rlmi.hpp"
#include "sip/transport/connection_pool.hpp"
#include "sip/transport/listener.hpp"
#include "sip/transport/udp_endpoint.hpp"

namespace fedgate::gateway {

class DbPool;
class SipEdgePersist;

class SipEdge final : public SipSide, public sip::AgentEvents {
 public:
  SipEdge(boost::asio::io_context& ioc, const NodeConfig& config, TaskGroup& tasks,
          MetricsRegistry& metrics, Logger log, Switchboard& switchboard);
  ~SipEdge() override;
  SipEdge(const SipEdge&) = delete;
  SipEdge& operator=(const SipEdge&) = delete;

  // Builds transport, pool and agent from `rows` and binds the listeners; throws
  // std::runtime_error with a readable message on a start-up error.
  void start(const presence::PolicyRows& rows);
  // Before start(): subscription dialogs are stored in `db` and restored by start(), so they
  // survive a restart (sip_edge_persist.cpp). Without it they live in memory only.
  void persist_to(DbPool& db);
  // A new policy: static routes and homes, allow-list and ACL apply to the next request.
  void on_policy(const std::shared_ptr<const presence::PolicyRows>& rows);
  void stop();
  bool listening() const { return listening_.load(); }

  // SipSide (switchboard strand; each hops onto the edge strand).
  void send_subscription(const presence::SendSubscription& e) override;
  void send_presence(const presence::SendPresence& e) override;
  void refresh_subscription(const presence::RefreshSubscription& e) override;
  void refuse_request(const presence::RefuseRequest& e) override;
  void send_invite(const presence::SendInvite& e) override;
  void send_in_dialog(const presence::SendInDialog& e) override;
  void send_page(const presence::SendPage& e) override;
  void send_bye(const presence::SendBye& e) override;
  void bounce(const presence::BounceNotice& notice) override;

  // AgentEvents (agent strand; each hops onto the edge strand).
  boost::asio::awaitable<sip::Answer> on_page_message(sip::PageMessageEvent e) override;
  boost::asio::awaitable<sip::Answer> on_subscribe(sip::SubscribeEvent e) override;
  boost::asio::awaitable<sip::Answer> on_publish(sip::PublishEvent e) override;
  boost::asio::awaitable<sip::Answer> on_invite(sip::InviteEvent e) override;
  void on_notify(sip::NotifyEvent e) override;
  void on_subscription_ended(sip::SubscriptionEndedEvent e) override;
  void on_watcher_gone(sip::WatcherGoneEvent e) override;
  void on_session_message(sip::SessionMessageEvent e) override;
  boost::asio::awaitable<sip::Answer> decide_session_message(sip::SessionMessageEvent e) override;
  bool decide_session_message_now(sip::SessionMessageEvent& e,
                                  std::function<void(sip::Answer)>& done) override;
  void on_session_ended(sip::SessionEndedEvent e) override;
  void on_peer_status(sip::PeerStatusEvent e) override;

 private:
  struct Forward;  // MessageHandler → agent (the agent is built after the transport)
  // What one NOTIFY tells the switchboard, in order: its state first (a new dialog is stored
  // before its documents), then its documents.
  struct Upcall {
    std::optional<presence::SipSubscriptionEvent> state;
    std::vector<presence::Presence> documents;
  };
  struct View {
    std::shared_ptr<const presence::PolicyRows> rows;
    std::shared_ptr<const presence::PolicySnapshot> policy;
    sip::SubjectFilter allow_subject;  // empty: every chain-verified peer
    std::vector<std::string> acl;
  };
  std::shared_ptr<const View> view() const { return view_.load(); }
  std::shared_ptr<const presence::PolicySnapshot> policy() const;

  // sip_edge.cpp: construction of the parts.
  void make_resolver();
  sip::TransportConfig transport_config();
  void make_transport();
  void make_agent(const presence::PolicyRows& rows);
  void listen_tls();
  void listen_tcp();
  void listen_udp();
  void spawn(std::string name, boost::asio::awaitable<void> work);  // on strand_, in tasks_
  // SIP federation traffic comes only from local or SIP federated (or SIP-discovered) domains:
  // a request from any other domain gets 403 without the switchboard being asked.
  std::optional<sip::Answer> screen_sender(const presence::Address& from);

  // sip_edge_presence.cpp: subscriptions and presence (edge strand).
  void subscription_effect(presence::SubscriptionRequest r);
  void answer_watcher(presence::SubscriptionRequest r);
  void presence_effect(presence::SendPresence e);
  void refresh_effect(presence::Subscription s);
  void refusal_effect(presence::RefuseRequest e);
  void notify_watcher(const Watching& w, sip::SubState state, std::optional<sip::Body> body);
  boost::asio::awaitable<void> subscribe(Watching w);
  boost::asio::awaitable<void> unsubscribe(sip::DialogId id);
  boost::asio::awaitable<void> drain_notifies(Watching w);
  boost::asio::awaitable<sip::Answer> decide_subscribe(sip::SubscribeEvent e);
  void take_notify(Watching w, sip::NotifyEvent e);
  void take_document(const Watching& w, sip::Body body, Upcall& call);
  presence::SipSubscriptionEvent state_event(const Watching& w, presence::SubscriptionState s,
                                             std::string reason, presence::WallTime expires,
                                             std::string dialog);
  boost::asio::awaitable<void> request(presence::SubscriptionRequest r);
  boost::asio::awaitable<void> report_state(Watching w, presence::SubscriptionState s,
                                            std::string reason, presence::WallTime expires,
                                            std::string dialog);

  // sip_edge_upcalls.cpp: carried by a few drainers, in order.
  void upcall(Upcall call);
  boost::asio::awaitable<void> drain_upcalls();

  // sip_edge_batch.cpp: batched subscriptions of SIP watchers (MS-PRES adhocList, RLMI).
  boost::asio::awaitable<sip::Answer> decide_batch(sip::SubscribeEvent e);
  boost::asio::awaitable<sip::ResourceInstance> decide_resource(presence::SubscriptionRequest r,
                                                                sip::DialogId dialog, bool msrtc);
  void notify_batch_resource(const Watching& w, const NotifierRecord& n, sip::SubState state,
                             std::optional<sip::Body> body);
  boost::asio::awaitable<void> drain_batch(sip::DialogId id);
  // An RLMI instance in state "resubscribe" (MS-PRES).
  void resubscribe_singly(const presence::Address& watcher, const presence::Address& contact);
  std::string next_boundary();
  // sip_edge_im.cpp: instant messages (edge strand).
  boost::asio::awaitable<void> invite(presence::SendInvite e);
  boost::asio::awaitable<void> in_dialog(presence::SendInDialog e);
  boost::asio::awaitable<void> page(presence::SendPage e);
  boost::asio::awaitable<void> bye(presence::SendBye e);
  boost::asio::awaitable<void> bounce_notice(presence::BounceNotice n);
  boost::asio::awaitable<sip::Answer> decide_message(presence::InboundMessage in);
  boost::asio::awaitable<sip::Answer> decide_invite(sip::InviteEvent e);
  boost::asio::awaitable<bool> deliver_first(sip::DialogId id, sip::Body first);
  boost::asio::awaitable<sip::Answer> handle_session_message(sip::SessionMessageEvent e);
  boost::asio::awaitable<void> take_session_message(sip::SessionMessageEvent e);
  std::optional<presence::InboundMessage> session_input(const sip::SessionMessageEvent& e);
  void note_session_activity(const sip::DialogId& dialog, const presence::Address& from,
                             const presence::Address& to);
  boost::asio::awaitable<void> handle_session_ended(sip::SessionEndedEvent e);
  boost::asio::awaitable<presence::SipAnswer> send_page_mode(presence::OutboundMessage m);

  boost::asio::io_context& ioc_;
  const NodeConfig& config_;
  TaskGroup& tasks_;
  MetricsRegistry& registry_;
  Logger log_;
  Switchboard& switchboard_;
  SipEdgeMetrics metrics_;
  boost::asio::strand<boost::asio::any_io_executor> strand_;
  std::atomic<std::shared_ptr<const View>> view_;
  SipDialogBook book_;  // strand_ only
  std::unique_ptr<Resolver> cares_;
  std::unique_ptr<Resolver> resolver_;
  std::unique_ptr<sip::TransportConfig> transport_config_;
  std::unique_ptr<sip::SipTransportMetrics> transport_metrics_;
  std::unique_ptr<sip::AgentMetrics> agent_metrics_;
  std::unique_ptr<Forward> forward_;
  std::unique_ptr<sip::ConnectionDeps> deps_;
  std::unique_ptr<sip::ConnectionPool> pool_;
  std::vector<std::unique_ptr<sip::Listener>> listeners_;
  std::unique_ptr<sip::UdpEndpoint> udp_;
  std::unique_ptr<sip::RouteResolver> routes_;
  std::unique_ptr<sip::SipAgent> agent_;
  sip::AgentConfig agent_config_;
  std::unique_ptr<SipEdgePersist> persist_;  // null: dialogs in memory only
  std::atomic<bool> listening_{false};
  std::uint64_t boundaries_ = 0;  // strand_ only: multipart boundaries of RLMI bodies
  std::deque<Upcall> upcalls_;    // strand_ only
  std::size_t upcall_drainers_ = 0;
};

}  // namespace fedgate::gateway
