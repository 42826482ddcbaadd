// SipAgent: the SIP transaction user on real connections. Implements MessageHandler for the
// listener and pool; owns the TransactionTable and the dialog usages (Notifier, Subscriber,
// ImSession) on one strand, drives their timers with Asio, routes requests (RouteResolver)
// and raises AgentEvents. RFC 3261 §8, §12, §16.3 (482/483), §17; RFC 6665; RFC 3428.
#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "gateway/base/log.hpp"
#include "gateway/base/task_group.hpp"
#include "sip/bridge/agent_config.hpp"
#include "sip/bridge/agent_entries.hpp"
#include "sip/bridge/agent_events.hpp"
#include "sip/bridge/agent_metrics.hpp"
#include "sip/bridge/route_resolver.hpp"
#include "sip/bridge/usage_mark.hpp"
#include "sip/dialog/notifier.hpp"
#include "sip/dialog/subscriber.hpp"
#include "sip/transport/connection_pool.hpp"
#include "sip/transport/message_handler.hpp"
#include "sip/txn/branch.hpp"
#include "sip/txn/transaction_table.hpp"

namespace fedgate::sip {

class SipAgent final : public MessageHandler {
 public:
  SipAgent(boost::asio::any_io_executor ex, AgentConfig config, ConnectionPool& pool,
           RouteResolver& routes, AgentEvents& events, AgentMetrics& metrics, Logger log);
  ~SipAgent() override;

  // Timer and keep-alive loops (set_keepalive_peers); stop() cancels them and every request;
  // stopped() completes once no task runs and no message handed over is queued (true), or
  // after `limit` (false): only then may the agent be destroyed.
  void start();
  void stop();
  boost::asio::awaitable<bool> stopped(Duration limit = std::chrono::seconds(5));
  void set_keepalive_peers(std::vector<KeepAlivePeer> peers);
  boost::asio::awaitable<void> on_message(Message message, ConnectionHandle from) override;
  // The fast path: one post per read onto the agent strand; refused (false) when more than
  // 8192 messages wait there already (the read loop then awaits on_message).
  bool take_messages(std::vector<Message>& batch, const ConnectionHandle& from) override;

  // Downward API (any executor): routed by Request-URI (static routes, then DNS), next hop on
  // timeout/transport failure; the final response (408 Timer F, 503 no hop, routing status).
  boost::asio::awaitable<Response> send_request(Request request);
  boost::asio::awaitable<Response> send_page_message(  // RFC 3428 page mode
      presence::Address from, presence::Address to, Body body);
  boost::asio::awaitable<result<DialogId>> subscribe(SubscribeRequest request);  // on_notify()s
  boost::asio::awaitable<result<void>> unsubscribe(DialogId subscription);
  // A NOTIFY in a notifier's dialog (terminated ends it); its final response. `best_effort` to a
  // watcher that offered ms-benotify: a BENOTIFY, without a transaction (MS-SIPRE), 200 once sent.
  boost::asio::awaitable<result<Response>> notify(DialogId dialog, SubState state,
                                                  std::optional<Body> body,
                                                  bool best_effort = false);

  // Session-mode IM (MS-SIPRE): an INVITE carrying `first` in ms-text-format; SessionOpened.
  boost::asio::awaitable<SessionOpened> open_session(presence::Address from, presence::Address to,
                                                     std::optional<Body> first);
  // A MESSAGE in the session; dialog_dead: open a new session and send it again. `_now`: no
  // coroutine when the session's next hop is connected; `done` runs on the agent strand.
  boost::asio::awaitable<MessageResult> send_in_session(DialogId session, Body body);
  void send_in_session_now(DialogId session, Body body, std::function<void(MessageResult)> done);
  boost::asio::awaitable<void> bye(DialogId session);

  boost::asio::awaitable<std::size_t> transaction_count();  // for tests and the admin API
  std::size_t running_tasks() const { return tasks_.size(); }

 private:
  struct Waiter;
  struct ServerCtx {
    ConnectionHandle connection;
  };
  struct ClientCtx {
    ClientCtx(ConnectionHandle c, Waiter* w) : connection(std::move(c)), waiter(w) {}
    ConnectionHandle connection;
    Waiter* waiter = nullptr;
    std::function<void(Response)> finish;  // instead of a waiter: start_request()
  };
  // agent.cpp: the strand, timers, transactions, sending.
  void handle(Message message, const ConnectionHandle& from);  // agent strand
  boost::asio::awaitable<void> timer_loop();
  void on_timers(TimePoint now);
  std::optional<TimePoint> next_deadline() const;
  void rearm();
  void schedule_sweep();  // the next compaction of hot usages (HotUsages::next_sweep)
  void apply(TxEffects effects);
  Response failure_response(const TxEnd& end);
  void respond(TxId tx, Response response);
  boost::asio::awaitable<Response> transact(Request request);
  // No coroutine if the one next hop is known and connected: transact() calling `finish`;
  void start_request(Request request, std::function<void(Response)> finish);
  void start_request_slowly(Request request, std::function<void(Response)> finish);
  bool send_now(const Request& request);  // outside a transaction (false: not sent)
  const ConnectionHandle* known_connection(const Request& request);
  struct HopResult {
    std::optional<Response> response;  // the final response, if the hop gave one
    int failure = 503;                 // otherwise: 503 (unreachable) or 408 (Timer F)
  };
  boost::asio::awaitable<HopResult> try_hop(Request& request, const NextHop& hop);
  std::string new_tag();
  LocalEndpoint local_endpoint() const;

  // agent_server.cpp: requests from the network; synchronous unless the layer above decides.
  void on_request(Request request, const ConnectionHandle& from);
  bool serve_now(TxId tx, const Request& request, const ConnectionHandle& from);
  boost::asio::awaitable<void> serve(TxId tx, Request request, Parties parties);
  std::optional<std::pair<int, std::string>> screen(const Request& request) const;
  boost::asio::awaitable<void> serve_page_message(TxId tx, Request request, Parties parties);
  boost::asio::awaitable<void> serve_subscribe(TxId tx, Request request, Parties parties);
  boost::asio::awaitable<void> serve_publish(TxId tx, Request request, Parties parties);
  void serve_notify(TxId tx, const Request& request, Parties parties);
  void serve_refresh(TxId tx, const Request& request);
  void answer(TxId tx, const Request& request, const Answer& a, std::string_view to_tag = {});
  void refuse(TxId tx, const Request& request, int status, std::string_view reason_token);

  // agent_sessions.cpp: session-mode IM (ImSession) in both directions.
  boost::asio::awaitable<void> serve_invite(TxId tx, Request request, Parties parties);
  void serve_in_session(TxId tx, const Request& request);
  boost::asio::awaitable<void> answer_session_message(TxId tx, Request request, SubscriberKey key,
                                                      Response ok, Body body);
  SessionMessageEvent session_message_event(const SubscriberKey& key, const Request& request,
                                            Body body) const;
  bool decide_session_message_now(TxId tx, const Request& request, const SubscriberKey& key,
                                  Response& ok, Body& body);  // false: ok, body untouched
  std::optional<Request> session_message(const SubscriberKey& key, Body body);
  MessageResult session_message_result(const SubscriberKey& key, const Response& response);
  void on_session_actions(const SubscriberKey& key, ImActions actions);
  boost::asio::awaitable<void> send_outside_transaction(Request request);
  void wake_sessions(TimePoint now);

  // agent_usages.cpp: subscriptions in both directions, keep-alive.
  void on_subscriber_actions(const SubscriberKey& key, SubscriberActions actions);
  void send_in_background(std::string name, Request request, std::optional<SubscriberKey> key);
  boost::asio::awaitable<void> send_and_feed(Request request, std::optional<SubscriberKey> key);
  void wake_usages(TimePoint now);
  void end_notifier(DialogId id, std::string reason);  // by value: callers pass map keys
  void notify_now(const DialogId& dialog, SubState state, std::optional<Body> body,
                  bool best_effort, std::function<void(result<Response>)> done);
  boost::asio::awaitable<void> keepalive_loop();
  boost::asio::awaitable<void> ping(KeepAlivePeer peer);

  boost::asio::strand<boost::asio::any_io_executor> strand_;
  AgentConfig config_;
  ConnectionPool& pool_;
  RouteResolver& routes_;
  AgentEvents& events_;
  AgentMetrics& metrics_;
  Logger log_;
  TaskGroup tasks_;
  std::atomic<std::size_t> queued_{0};  // messages and stop() posted, not yet handled
  boost::asio::steady_timer wake_timer_;
  bool stopped_ = false;
  std::mt19937_64 random_;
  BranchGenerator branches_;
  TransactionTable table_;
  std::unordered_map<TxId, ServerCtx> servers_;
  std::set<TxId> inviting_;  // INVITEs awaiting the layer above: a CANCEL answers them 487
  std::unordered_map<TxId, ClientCtx> clients_;
  std::map<PeerKey, ConnectionHandle> connections_;  // the last one try_hop got, per hop
  std::map<SubscriberKey, SubscriberEntry> subscribers_;
  std::map<DialogId, NotifierEntry> notifiers_;
  std::map<SubscriberKey, SessionEntry> sessions_;  // by Call-ID and our tag
  std::set<std::pair<TimePoint, SubscriberKey>> session_wakes_;
  std::set<std::pair<TimePoint, SubscriberKey>> subscriber_wakes_;
  std::set<std::pair<TimePoint, DialogId>> notifier_wakes_;
  std::map<std::string, bool> peer_up_;
  HotUsages hot_;                          // usages decoded since a sweep (agent_persist.cpp)
  friend struct AgentPersist;              // agent_persist.hpp: export/restore of usages
  class UsageSink* usage_sink_ = nullptr;  // set by AgentPersist::set_sink; null: none
};

}  // namespace fedgate::sip
