// Test double for the pair of connection managers plus a minimal switchboard: inbound events
// go to the router and machines; every outbound effect is recorded, per side (SIP or XMPP,
// by the protocol of the destination domain), as an OutEvent the tests can assert on.
#pragma once

#include <string>
#include <vector>

#include "presence/chat_session_machine.hpp"
#include "presence/in_memory_outbox.hpp"
#include "presence/in_memory_presence_cache_store.hpp"
#include "presence/in_memory_subscription_store.hpp"
#include "presence/router.hpp"
#include "presence/subscription_machine.hpp"

namespace fedgate::presence::testing_support {

struct OutEvent {
  Protocol side = Protocol::xmpp;
  std::string kind;  // "message", "invite", "in_dialog", "page", "bye", "error",
                     // "subscribe", "approve", "deny", "cancel", "probe", "presence", "refresh"
  Address from;
  Address to;
  Availability availability = Availability::offline;  // for "presence"
  std::string detail;                                 // message body, error condition, status text
};

class FakeSwitchboard {
 public:
  explicit FakeSwitchboard(const PolicyRows& rows) : policy_(rows) {}

  void set_policy(const PolicyRows& rows) { policy_ = PolicySnapshot{rows}; }
  const PolicySnapshot& policy() const { return policy_; }

  // Inbound from either connection manager.
  void message(const InboundMessage& in);
  void subscription(const SubscriptionRequest& r);
  void presence(const Address& entity, Availability a, const std::string& status = {});
  void sip_state(const SipSubscriptionEvent& e);
  void sip_answer(std::int64_t outbox_id, int status);
  void invite_answer(const Address& sip_user, const Address& peer, int status);

  std::vector<OutEvent> take();  // the recorded outbound events, cleared
  const std::vector<OutEvent>& events() const { return out_; }
  std::vector<std::string> refusal_reasons;
  std::vector<std::string> drops;
  std::vector<std::string> discoveries;

  SubscriptionMachine subscriptions;
  ChatSessionMachine chats;
  InMemoryOutbox outbox;
  InMemorySubscriptionStore subscription_store;
  InMemoryPresenceCacheStore presence_store;
  WallTime wall_now{std::chrono::hours{1000}};
  TimePoint now{std::chrono::hours{1000}};

 private:
  Protocol side_of(const Address& a) const;
  void record(const Address& from, const Address& to, std::string kind, std::string detail = {},
              Availability availability = Availability::offline);
  void carry_out(const SubscriptionEffects& fx);
  void carry_out(const ChatEffects& fx);
  void carry_out_one(const SubscriptionEffect& e);
  void carry_out_one(const ChatEffect& e);

  PolicySnapshot policy_;
  std::vector<OutEvent> out_;
};

}  // namespace fedgate::presence::testing_support
