// Router::route: the pure IM decision (rules in router.hpp).
#include "presence/router.hpp"

namespace fedgate::presence {
namespace {

ErrorCondition condition_for(std::string_view reason, bool inbound) {
  if (inbound) {
    return ErrorCondition::forbidden;
  }
  return reason == "domain_not_federated" ? ErrorCondition::remote_server_not_found
                                          : ErrorCondition::policy_violation;
}

}  // namespace

DeliveryMode delivery_mode(const DomainClass& c) noexcept {
  if (c.protocol == Protocol::xmpp) {
    return DeliveryMode::xmpp_stanza;
  }
  if (c.kind == DomainKind::sip_federated && c.integration == SipIntegration::standard_sip) {
    return DeliveryMode::sip_page;
  }
  return DeliveryMode::sip_session;  // Lync/S4B/O365 partners, SIP homes, discovered SIP
}

LegOrRefusal resolve_leg(const Address& from, const Address& to, const PolicySnapshot& policy) {
  bool from_local = policy.is_local(from.domain());
  bool inbound = policy.is_local(to.domain());
  if (from_local == inbound) {  // local to local, or a relay between two remote domains
    auto v = policy.may_send(from.domain(), to.domain());
    return Refuse{condition_for(v.reason, false), v.reason};
  }
  const Address& remote = inbound ? from : to;
  DomainClass remote_class = policy.classify(remote.domain());
  if (remote_class.kind == DomainKind::needs_discovery) {
    return Discover{std::string{remote.domain()}};
  }
  if (auto v = policy.may_send(from.domain(), to.domain()); !v.allowed) {
    return Refuse{condition_for(v.reason, inbound), v.reason};
  }
  Leg leg{from, to, inbound, remote_class, {}};
  const auto& identity = policy.identity();
  if (inbound) {
    auto native = identity.inward(to);
    if (!native) {
      return Drop{"old_native_address"};
    }
    leg.to = std::move(native).value();
  }
  const Address& local = inbound ? leg.to : leg.from;
  leg.local = policy.classify(local.domain());
  if (!identity.federation_enabled(local)) {
    return Refuse{inbound ? ErrorCondition::service_unavailable : ErrorCondition::not_allowed,
                  "user_not_federated"};
  }
  return leg;
}

Decision route(const InboundMessage& in, const PolicySnapshot& policy) {
  auto resolved = resolve_leg(in.from, in.to, policy);
  if (auto* r = std::get_if<Refuse>(&resolved)) {
    return *r;
  }
  if (auto* d = std::get_if<Drop>(&resolved)) {
    return *d;
  }
  if (auto* d = std::get_if<Discover>(&resolved)) {
    return std::move(*d);
  }
  auto& leg = std::get<Leg>(resolved);
  const Address& local = leg.inbound ? leg.to : leg.from;
  const Address& remote = leg.inbound ? leg.from : leg.to;
  if (policy.user_rule(local, remote, TrafficKind::im) == RuleAction::block) {
    return Refuse{
        leg.inbound ? ErrorCondition::service_unavailable : ErrorCondition::policy_violation,
        "user_policy_block"};
  }
  OutboundMessage out;
  out.in_id = in.id;
  out.from = leg.inbound ? leg.from : policy.identity().outward(leg.from);
  out.to = leg.to;
  out.mode = delivery_mode(leg.inbound ? leg.local : leg.remote);
  out.content = in.content;
  if (out.mode == DeliveryMode::sip_page) {  // standard SIP peers: text/plain only
    out.content.formatted_body.clear();
    out.content.formatted_type.clear();
  }
  return Deliver{std::move(out)};
}

BounceNotice bounce(const OutboundMessage& m, const StanzaError& error,
                    const PolicySnapshot& policy, std::string_view agent) {
  BounceNotice notice{m.in_id, m.from, m.to, error, std::nullopt};
  bool sender_local = policy.is_local(m.from.domain());
  if (sender_local) {  // the sender is addressed natively by its home
    auto native = policy.identity().inward(m.from);
    notice.to = native ? native.value() : m.from;
  }
  if (policy.classify(notice.to.domain()).protocol == Protocol::sip) {
    notice.sip = sip_error_from_stanza(error, agent);
  }
  return notice;
}

}  // namespace fedgate::presence
