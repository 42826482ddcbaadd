// PolicySnapshot decisions: direction rules, XMPP policy, per-user rules, subscription checks.
// Pure reads of the immutable indexes; the hot path does not allocate.
#include <algorithm>
#include <array>

#include "presence/policy_snapshot.hpp"

namespace fedgate::presence {
namespace {

bool exception_applies(Direction d, TrafficDirection t) noexcept {
  return d == Direction::all || (d == Direction::inbound_only && t == TrafficDirection::inbound) ||
         (d == Direction::outbound_only && t == TrafficDirection::outbound);
}

constexpr PolicyVerdict kAllowed{true, ""};

}  // namespace

// An exception inverts the default in the directions it names. Domains in the open
// federation cache were discovered under open federation: only an exception stops them.
PolicyVerdict PolicySnapshot::xmpp_policy(std::string_view remote_domain, DomainKind kind,
                                          TrafficDirection direction) const {
  return xmpp_verdict(find_exception(remote_domain), kind, direction);
}

PolicyVerdict PolicySnapshot::xmpp_verdict(const Direction* exception, DomainKind kind,
                                           TrafficDirection direction) const {
  bool allow_by_default = xmpp_default_ == PolicyDefault::allow;
  if (exception != nullptr && exception_applies(*exception, direction)) {
    return allow_by_default ? PolicyVerdict{false, "xmpp_policy_exception"} : kAllowed;
  }
  if (allow_by_default || kind == DomainKind::open_federation) {
    return kAllowed;
  }
  return {false, "xmpp_policy_default_deny"};
}

PolicyVerdict PolicySnapshot::may_send(std::string_view from_domain,
                                       std::string_view to_domain) const {
  bool from_local = is_local(from_domain);
  bool to_local = is_local(to_domain);
  if (from_local && to_local) {
    return {false, "local_to_local"};
  }
  if (!from_local && !to_local) {
    return {false, "relay_denied"};
  }
  auto direction = to_local ? TrafficDirection::inbound : TrafficDirection::outbound;
  std::string_view remote = to_local ? from_domain : to_domain;
  const Direction* exception = nullptr;
  DomainClass c = classify(remote, exception);
  switch (c.kind) {
    case DomainKind::unknown:
      return {false, "domain_not_federated"};
    case DomainKind::needs_discovery:
      return {false, "discovery_required"};
    case DomainKind::sip_federated:
      return kAllowed;
    case DomainKind::local:
      return {false, "local_to_local"};
    case DomainKind::open_federation:
    case DomainKind::xmpp_federated:
      break;
  }
  if (c.protocol == Protocol::sip) {
    return kAllowed;  // open federation, discovered as SIP
  }
  if (c.kind == DomainKind::open_federation) {  // classification ended at the cache
    exception = find_exception(remote);
  }
  return xmpp_verdict(exception, c.kind, direction);
}

std::optional<RuleAction> PolicySnapshot::find_rule(std::string_view local, std::string_view target,
                                                    TrafficKind kind) const {
  std::array<char, 512> buffer;
  std::string heap;
  std::string_view key;
  std::size_t n = local.size() + 1 + target.size();
  if (n <= buffer.size()) {
    auto end = std::copy(local.begin(), local.end(), buffer.begin());
    *end++ = '\n';
    std::copy(target.begin(), target.end(), end);
    key = std::string_view{buffer.data(), n};
  } else {
    heap.append(local).append(1, '\n').append(target);
    key = heap;
  }
  auto it = user_rules_.find(key);
  if (it == user_rules_.end()) {
    return std::nullopt;
  }
  return kind == TrafficKind::presence ? it->second.presence : it->second.im;
}

// A rule for the remote user beats a rule for the remote's whole domain; default allow.
RuleAction PolicySnapshot::user_rule(const Address& local_user, const Address& remote,
                                     TrafficKind kind) const {
  if (user_rules_.empty()) {
    return RuleAction::allow;
  }
  if (auto r = find_rule(local_user.bare(), remote.bare(), kind)) {
    return *r;
  }
  if (auto r = find_rule(local_user.bare(), remote.domain(), kind)) {
    return *r;
  }
  return RuleAction::allow;
}

// Issue 5: domain permitted? (no: refuse, never ask) → user not federated? (refuse) →
// the local user's rules for that user or domain (block: polite block) → ask the home.
SubscriptionCheck PolicySnapshot::check_incoming_subscription(const Address& watcher,
                                                              const Address& presentity) const {
  if (!is_local(presentity.domain())) {
    return {SubscriptionVerdict::refuse, "presentity_not_local"};
  }
  if (auto v = may_send(watcher.domain(), presentity.domain()); !v.allowed) {
    return {SubscriptionVerdict::refuse, v.reason};
  }
  if (!identity_.federation_enabled(presentity)) {
    return {SubscriptionVerdict::refuse, "user_not_federated"};
  }
  if (user_rule(presentity, watcher, TrafficKind::presence) == RuleAction::block) {
    return {SubscriptionVerdict::polite_block, "user_policy_block"};
  }
  return {SubscriptionVerdict::ask_home, ""};
}

}  // namespace fedgate::presence
