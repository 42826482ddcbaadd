// Switchboard: carries out the router's decisions (STYLE.md B2 step 5, sketch 4). Owns the
// SubscriptionMachine and ChatSessionMachine on one strand; takes one PolicySnapshot per
// decision; persists through the presence/ ports on the store executor (the DB pool); sends
// through XmppSide / SipSide. Owned by the Node. RFC 7572, RFC 8048, RFC 6121, RFC 7247 §7.
#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "gateway/app/sip_side.hpp"
#include "gateway/app/switchboard_config.hpp"
#include "gateway/app/switchboard_deps.hpp"
#include "gateway/app/switchboard_metrics.hpp"
#include "gateway/app/write_behind.hpp"
#include "gateway/app/xmpp_side.hpp"
#include "gateway/base/clock.hpp"
#include "gateway/base/log.hpp"
#include "gateway/base/task_group.hpp"
#include "presence/chat_session_machine.hpp"
#include "presence/outbox.hpp"
#include "presence/presence_cache_store.hpp"
#include "presence/subscription_machine.hpp"
#include "presence/subscription_store.hpp"
#include "xmpp/bridge/stanza_in.hpp"
#include "xmpp/transport/s2s_config.hpp"

namespace fedgate::gateway {

class Switchboard final : public xmpp::StanzaHandler {
 public:
  Switchboard(SwitchboardDeps deps, SwitchboardConfig config = {});
  Switchboard(const Switchboard&) = delete;
  Switchboard& operator=(const Switchboard&) = delete;

  // Until set, SIP-bound effects bounce with remote-server-not-found (logged and counted).
  void set_sip_side(SipSide* sip) { sip_ = sip; }

  // Start-up: stored subscriptions, cached presence, undelivered messages (re-delivered).
  boost::asio::awaitable<void> restore();
  // Before the edges accept: inputs wait until restore() has finished or given up (a NOTIFY
  // right after a restart meets the restored state).
  void hold_until_restored() { held_ = true; }
  bool restored() const { return !held_; }
  // Timers (refreshes, idle sessions, delivery settle) until cancelled.
  boost::asio::awaitable<void> run();

  // XMPP: an authenticated inbound stanza (any strand), or one read's stanzas in one hop.
  boost::asio::awaitable<void> on_stanza(xmpp::Element stanza) override;
  bool takes_batches() const override { return true; }
  boost::asio::awaitable<std::size_t> on_stanzas(std::vector<xmpp::Element> stanzas) override;
  void on_xmpp_bounce(xmpp::Element stanza, xmpp::StanzaErrc condition);  // S2sPool's, any thread

  // SIP side (any strand): neutral inputs from sip/bridge.
  boost::asio::awaitable<void> on_message(presence::InboundMessage in, MessageReply reply);
  // The same without a coroutine (any thread): `finished` on the strand once decided.
  void on_message_now(presence::InboundMessage in, MessageReply reply,
                      std::function<void()> finished);
  boost::asio::awaitable<void> on_subscription_request(presence::SubscriptionRequest r);
  boost::asio::awaitable<void> on_presence_document(presence::Presence doc);
  boost::asio::awaitable<void> on_sip_state(presence::SipSubscriptionEvent e);
  boost::asio::awaitable<void> on_invite_answer(presence::Address sip_user, presence::Address peer,
                                                presence::SipAnswer answer, std::string dialog);
  void on_message_answer(std::int64_t outbox_id, presence::SipAnswer answer);  // any thread
  boost::asio::awaitable<void> on_bye(presence::Address sip_user, presence::Address peer);
  // The SIP user opened a session dialog with `peer` (`dialog` in the SIP side's form): messages
  // from `peer` go in it, no new INVITE; a MESSAGE in it keeps it open. RFC 7572 §4.
  boost::asio::awaitable<void> on_remote_invite(presence::Address sip_user, presence::Address peer,
                                                std::string dialog);
  boost::asio::awaitable<void> on_remote_activity(presence::Address sip_user,
                                                  presence::Address peer);
  // XMPP: XEP-0198 ack of `stanza_id`: its message is delivered now (any thread).
  void on_xmpp_delivered(std::string stanza_id);

  // Observability for tests and the admin API (read on the strand or after it stopped).
  std::size_t subscriptions() const { return subs_.size(); }
  std::size_t in_flight() const { return in_flight_.size(); }
  std::size_t presence_unwritten() const { return presence_dirty_.size(); }  // write-behind

 private:
  using PolicyPtr = std::shared_ptr<const presence::PolicySnapshot>;
  using PresenceBatch = WriteBehind<std::string, presence::Presence>::Batch;

  // Runs `work` on the strand (the machines' only executor); no caller's cancellation.
  boost::asio::awaitable<void> on_strand(boost::asio::awaitable<void> work);
  // `work` after restore() when held (hold_until_restored); on the strand.
  boost::asio::awaitable<void> gated(boost::asio::awaitable<void> work);
  void open_gate();
  template <class F>
  auto blocking(F fn) -> boost::asio::awaitable<std::invoke_result_t<F&>>;
  PolicyPtr snapshot();
  void rebuild_snapshot();
  boost::asio::awaitable<PolicyPtr> wait_for_policy();
  boost::asio::awaitable<void> restore_on_strand();
  boost::asio::awaitable<void> tick();
  boost::asio::awaitable<void> handle_document(presence::Presence doc);
  boost::asio::awaitable<void> handle_sip_state(presence::SipSubscriptionEvent e);
  boost::asio::awaitable<void> chat_answer(presence::Address sip_user, presence::Address peer,
                                           presence::SipAnswer answer, std::string dialog);
  boost::asio::awaitable<void> message_answer(std::int64_t outbox_id, presence::SipAnswer answer);
  boost::asio::awaitable<void> bye(presence::Address sip_user, presence::Address peer);
  boost::asio::awaitable<void> remote_invite(presence::Address sip_user, presence::Address peer,
                                             std::string dialog);
  boost::asio::awaitable<void> remote_activity(presence::Address sip_user, presence::Address peer);
  boost::asio::awaitable<void> xmpp_delivered(std::string stanza_id);

  // XMPP in (switchboard_xmpp.cpp). start_* do what needs no waiting, return the rest.
  using Rest = std::optional<boost::asio::awaitable<void>>;
  boost::asio::awaitable<std::size_t> take_batch(std::vector<xmpp::Element> stanzas);
  boost::asio::awaitable<void> handle_stanza(xmpp::Element stanza);
  Rest start_stanza(xmpp::Element stanza);
  Rest start_presence(xmpp::Element stanza);
  Rest start_directed_presence(xmpp::Element stanza, xmpp::PresenceUpdate update, PolicyPtr p);
  boost::asio::awaitable<void> finish_directed_presence(xmpp::Element s, xmpp::PresenceUpdate u,
                                                        PolicyPtr p,
                                                        presence::SubscriptionEffects fx,
                                                        bool addressed);
  void relay_unaddressed(const xmpp::Element& s, const xmpp::PresenceUpdate& u,
                         const presence::PolicySnapshot& p, bool addressed);
  boost::asio::awaitable<void> handle_xmpp_message(xmpp::Element stanza);
  bool take_xmpp_message(xmpp::Element& stanza, std::function<void()>& finished);
  void handle_xmpp_iq(const xmpp::Element& stanza);
  boost::asio::awaitable<void> handle_failure(xmpp::Element stanza);
  boost::asio::awaitable<void> handle_pool_bounce(xmpp::Element stanza, xmpp::StanzaErrc c);
  void send_xmpp(std::string_view from_domain, std::string_view to_domain, xmpp::Element s);
  void reply_error(const xmpp::Element& original, xmpp::StanzaErrc c, std::string_view text);
  bool relay_between_xmpp(const xmpp::Element& stanza, const presence::PolicySnapshot& policy);

  // Messages (switchboard_messages.cpp).
  boost::asio::awaitable<void> handle_message(presence::InboundMessage in, MessageReply reply);
  void take_message(presence::InboundMessage in, MessageReply r, std::function<void()> done);
  void refuse_unloaded(const MessageReply& reply);
  std::optional<presence::OutboundMessage> decided(const presence::InboundMessage& in,
                                                   presence::Decision d, const MessageReply& r);
  boost::asio::awaitable<void> accept_and_deliver(presence::OutboundMessage m, MessageReply reply);
  void accept_now(presence::OutboundMessage m, MessageReply reply, std::function<void()> done);
  bool accepted(presence::OutboundMessage& m, const presence::PortResult<std::int64_t>& id,
                const MessageReply& reply);
  boost::asio::awaitable<void> deliver(presence::OutboundMessage m);
  void deliver_now(presence::OutboundMessage m);
  void deliver_xmpp(presence::OutboundMessage m);
  boost::asio::awaitable<void> bounce(presence::OutboundMessage m, presence::StanzaError error,
                                      std::string_view reason);
  boost::asio::awaitable<void> run_chat(presence::ChatEffects fx);
  void run_chat_now(presence::ChatEffects fx);  // no waiting unless there is a bounce
  void send_chat(const presence::ChatEffect& effect);
  void note_chat_wake(std::optional<TimePoint> at);
  boost::asio::awaitable<void> mark_delivered(std::int64_t outbox_id);
  boost::asio::awaitable<void> settle(TimePoint now);
  boost::asio::awaitable<bool> discover(const std::string& domain);

  // Subscriptions and presence (switchboard_presence.cpp).
  boost::asio::awaitable<void> handle_request(presence::SubscriptionRequest r, bool may_discover);
  boost::asio::awaitable<void> run_subscription(
      presence::SubscriptionEffects fx, std::optional<presence::SubscriptionRequest> replay);
  static bool needs_store(const presence::SubscriptionEffects& fx);  // else: _now
  void run_subscription_now(presence::SubscriptionEffects& fx);
  boost::asio::awaitable<void> persist(const presence::SubscriptionEffect& effect);
  void note_presence(const presence::Presence& p);
  boost::asio::awaitable<void> presence_flush_loop();
  boost::asio::awaitable<bool> write_presence(PresenceBatch& batch);
  void send_effect(const presence::SubscriptionEffect& effect, const presence::PolicySnapshot& p);
  void send_subscription(const presence::SendSubscription& e, const presence::PolicySnapshot& p);
  void send_presence(const presence::SendPresence& e, const presence::PolicySnapshot& p);
  void refuse_request(const presence::RefuseRequest& e, const presence::PolicySnapshot& p);
  bool sip_bound(std::string_view domain, const presence::PolicySnapshot& p) const;

  SwitchboardDeps deps_;
  SwitchboardConfig config_;
  SwitchboardMetrics metrics_;
  Logger log_;
  boost::asio::strand<boost::asio::any_io_executor> strand_;
  SipSide* sip_ = nullptr;
  presence::SubscriptionMachine subs_;
  presence::ChatSessionMachine chat_;
  std::shared_ptr<const presence::PolicyRows> rows_;  // what snapshot_ was built from
  PolicyPtr snapshot_;
  std::vector<presence::OpenFederationCacheRow> discovered_;  // until the database lists them
  std::optional<presence::WallTime> subs_wake_;
  std::optional<TimePoint> chat_wake_;
  std::map<std::string, InFlight> in_flight_;  // outgoing stanza id → accepted message
  std::uint64_t next_ephemeral_ = 0;
  WriteBehind<std::string, presence::Presence> presence_dirty_;  // entity → latest document
  RetryDelay presence_retry_;
  bool presence_flushing_ = false;        // presence_flush_loop runs
  std::function<void()> presence_hurry_;  // cuts its wait short (batch full)
  std::atomic<bool> held_ = false;        // inputs wait for restore(); read by /readyz
  boost::asio::steady_timer gate_;        // on the strand; cancelled when restore() ends
};

}  // namespace fedgate::gateway
