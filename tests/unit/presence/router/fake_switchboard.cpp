// FakeSwitchboard: carries out decisions and effects the way gateway/app's Switchboard does,
// recording what would go out on each side.
#include "tests/unit/presence/router/fake_switchboard.hpp"

namespace fedgate::presence::testing_support {
namespace {

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

std::string action_name(SubscriptionAction a) {
  switch (a) {
    case SubscriptionAction::subscribe:
      return "subscribe";
    case SubscriptionAction::approve:
      return "approve";
    case SubscriptionAction::deny:
      return "deny";
    case SubscriptionAction::cancel:
      return "cancel";
    case SubscriptionAction::probe:
      return "probe";
  }
  return "?";
}

}  // namespace

Protocol FakeSwitchboard::side_of(const Address& a) const {
  return policy_.classify(a.domain()).protocol;
}

void FakeSwitchboard::record(const Address& from, const Address& to, std::string kind,
                             std::string detail, Availability availability) {
  out_.push_back(OutEvent{side_of(to), std::move(kind), from, to, availability, std::move(detail)});
}

std::vector<OutEvent> FakeSwitchboard::take() {
  auto events = std::move(out_);
  out_.clear();
  return events;
}

void FakeSwitchboard::message(const InboundMessage& in) {
  auto decision = route(in, policy_);
  std::visit(Overloaded{[&](const Refuse& r) {
                          refusal_reasons.emplace_back(r.reason);
                          record(in.to, in.from, "error", std::string{to_string(r.condition)});
                        },
                        [&](const Drop& d) { drops.emplace_back(d.reason); },
                        [&](const Discover& d) { discoveries.push_back(d.domain); },
                        [&](const Deliver& d) {
                          OutboundMessage m = d.message;
                          m.outbox_id = outbox.accept(m).value();  // the durability point
                          if (m.mode == DeliveryMode::xmpp_stanza) {
                            record(m.from, m.to, "message", m.content.body);
                            (void)outbox.mark_delivered(m.outbox_id);
                          } else {
                            carry_out(chats.on_outbound(std::move(m), now));
                          }
                        }},
             decision);
}

void FakeSwitchboard::subscription(const SubscriptionRequest& r) {
  carry_out(subscriptions.on_request(r, policy_, wall_now));
}

void FakeSwitchboard::presence(const Address& entity, Availability a, const std::string& status) {
  EndpointPresence e{"default", a, status};
  carry_out(subscriptions.on_endpoint_presence(entity, e, policy_));
}

void FakeSwitchboard::sip_state(const SipSubscriptionEvent& e) {
  carry_out(subscriptions.on_sip_state(e, policy_, wall_now));
}

void FakeSwitchboard::sip_answer(std::int64_t outbox_id, int status) {
  carry_out(chats.on_message_answer(outbox_id, SipAnswer{status, "", "", ""}, now));
}

void FakeSwitchboard::invite_answer(const Address& sip_user, const Address& peer, int status) {
  carry_out(chats.on_invite_answer(sip_user, peer, SipAnswer{status, "", "", ""}, "dialog-1", now));
}

void FakeSwitchboard::carry_out(const SubscriptionEffects& fx) {
  for (const auto& e : fx.effects) {
    carry_out_one(e);
  }
}

void FakeSwitchboard::carry_out(const ChatEffects& fx) {
  for (const auto& e : fx.effects) {
    carry_out_one(e);
  }
}

void FakeSwitchboard::carry_out_one(const SubscriptionEffect& effect) {
  std::visit(
      Overloaded{
          [&](const SendSubscription& s) {
            record(s.request.from, s.request.to, action_name(s.request.action));
          },
          [&](const SendPresence& p) {
            record(p.from, p.to, "presence", p.presence.status_text, p.presence.availability);
          },
          [&](const RefreshSubscription& r) {
            record(r.subscription.watcher, r.subscription.presentity, "refresh");
          },
          [&](const RefuseRequest& r) {
            refusal_reasons.emplace_back(r.refusal.reason);
            record(r.request.to, r.request.from, "error",
                   std::string{to_string(r.refusal.condition)});
          },
          [&](const SaveSubscription& s) {
            auto id = subscription_store.save(s.subscription).value();
            subscriptions.on_saved(s.subscription.watcher, s.subscription.presentity, id);
          },
          [&](const RemoveSubscription& s) { (void)subscription_store.remove(s.subscription.id); },
          [&](const SavePresence& p) { (void)presence_store.put(p.presence); },
          [&](const Discover& d) { discoveries.push_back(d.domain); },
          [&](const Drop& d) { drops.emplace_back(d.reason); }},
      effect);
}

void FakeSwitchboard::carry_out_one(const ChatEffect& effect) {
  std::visit(
      Overloaded{[&](const SendInvite& i) {
                   record(i.first.from, i.first.to, "invite", i.first.content.body);
                 },
                 [&](const SendInDialog& m) {
                   record(m.message.from, m.message.to, "in_dialog", m.message.content.body);
                 },
                 [&](const SendPage& p) {
                   record(p.message.from, p.message.to, "page", p.message.content.body);
                 },
                 [&](const SendBye& b) { record(b.session.peer, b.session.sip_user, "bye"); },
                 [&](const MarkDelivered& d) { (void)outbox.mark_delivered(d.outbox_id); },
                 [&](const Bounce& b) {
                   (void)outbox.mark_bounced(b.message.outbox_id, b.error);
                   record(b.message.to, b.message.from, "error",
                          std::string{to_string(b.error.condition)});
                 }},
      effect);
}

}  // namespace fedgate::presence::testing_support
