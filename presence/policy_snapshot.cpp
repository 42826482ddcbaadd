// PolicySnapshot: indexing the policy rows, and domain classification.
#include "presence/policy_snapshot.hpp"

namespace fedgate::presence {
namespace {

std::optional<std::string> norm(std::string_view domain) {
  auto d = Address::normalise_domain(domain);
  return d ? std::optional<std::string>{d.value()} : std::nullopt;
}

std::string rule_key(std::string_view local, std::string_view target) {
  std::string key;
  key.reserve(local.size() + target.size() + 1);
  key.append(local).append(1, '\n').append(target);
  return key;
}

}  // namespace

std::string_view to_string(DomainKind k) noexcept {
  switch (k) {
    case DomainKind::local:
      return "local";
    case DomainKind::sip_federated:
      return "sip_federated";
    case DomainKind::xmpp_federated:
      return "xmpp_federated";
    case DomainKind::open_federation:
      return "open_federation";
    case DomainKind::needs_discovery:
      return "needs_discovery";
    case DomainKind::unknown:
      return "unknown";
  }
  return "unknown";
}

PolicySnapshot::PolicySnapshot(const PolicyRows& rows)
    : version_(rows.version),
      settings_(rows.settings),
      xmpp_default_(rows.xmpp_default),
      identity_(rows.settings, rows.users),
      translator_(rows.state_map) {
  index_domains(rows);
  index_xmpp_exceptions(rows);
  index_user_rules(rows);
  index_default_route(rows);
  if (identity_.rejected_rows() > 0) {
    warnings_.push_back("bad_user_rows:" + std::to_string(identity_.rejected_rows()));
  }
}

void PolicySnapshot::index_domains(const PolicyRows& rows) {
  for (const auto& r : rows.local_domains) {
    if (auto d = norm(r.domain)) {
      local_.emplace(*d, LocalDomain{r.home_protocol});
    } else {
      warnings_.push_back("bad_local_domain:" + r.domain);
    }
  }
  for (const auto& r : rows.sip_federated_domains) {
    auto d = norm(r.domain);
    if (!d || local_.contains(*d)) {
      warnings_.push_back("bad_sip_federated_domain:" + r.domain);
      continue;
    }
    sip_federated_.emplace(*d, r.integration);
  }
  for (const auto& r : rows.open_federation_cache) {
    if (auto d = norm(r.domain)) {
      open_cache_.emplace(*d, r.protocol);
    }
  }
}

void PolicySnapshot::index_xmpp_exceptions(const PolicyRows& rows) {
  for (const auto& r : rows.xmpp_exceptions) {
    std::string_view pattern = r.pattern;
    bool wildcard = pattern.starts_with("*.");
    auto d = norm(wildcard ? pattern.substr(2) : pattern);
    if (!d) {
      warnings_.push_back("bad_xmpp_exception:" + r.pattern);
      continue;
    }
    if (sip_federated_.contains(*d)) {
      warnings_.push_back("domain_in_both:" + *d);  // a domain is never both: SIP wins
    }
    (wildcard ? xmpp_wildcard_ : xmpp_exact_).emplace(*d, r.direction);
  }
}

void PolicySnapshot::index_user_rules(const PolicyRows& rows) {
  for (const auto& r : rows.user_policies) {
    auto local = Address::parse(r.local_user);
    std::optional<std::string> target;
    if (r.target.find('@') != std::string::npos) {
      auto t = Address::parse(r.target);
      target = t ? std::optional<std::string>{t->str()} : std::nullopt;
    } else {
      target = norm(r.target);
    }
    if (!local || !target) {
      warnings_.push_back("bad_user_policy:" + r.local_user + "->" + r.target);
      continue;
    }
    auto& rule = user_rules_[rule_key(local->bare(), *target)];
    auto merge = [&](std::optional<RuleAction>& slot) {
      slot = (slot == RuleAction::block) ? RuleAction::block : r.action;  // block wins
    };
    if (r.scope != RuleScope::im) {
      merge(rule.presence);
    }
    if (r.scope != RuleScope::presence) {
      merge(rule.im);
    }
  }
}

// The default route ".*": discovery is on while it exists unblocked and in service; with no
// such row, Settings::open_federation decides.
void PolicySnapshot::index_default_route(const PolicyRows& rows) {
  discovery_enabled_ = rows.settings.open_federation;
  for (const auto& r : rows.static_routes) {
    if (r.pattern == ".*" && r.type == RouteType::domain) {
      discovery_enabled_ = !r.blocked && r.in_service;
    }
  }
}

// Order: local → SIP federated → open federation cache → XMPP exception → discovery →
// XMPP default allow → unknown.
DomainClass PolicySnapshot::classify(std::string_view domain) const {
  const Direction* exception = nullptr;
  return classify(domain, exception);
}

DomainClass PolicySnapshot::classify(std::string_view domain, const Direction*& exception) const {
  if (auto it = local_.find(domain); it != local_.end()) {
    return {DomainKind::local, it->second.home_protocol};
  }
  if (auto it = sip_federated_.find(domain); it != sip_federated_.end()) {
    return {DomainKind::sip_federated, Protocol::sip, it->second};
  }
  if (auto it = open_cache_.find(domain); it != open_cache_.end()) {
    return {DomainKind::open_federation, it->second};
  }
  exception = find_exception(domain);
  if (exception != nullptr) {
    return {DomainKind::xmpp_federated, Protocol::xmpp};
  }
  if (discovery_enabled_) {
    return {DomainKind::needs_discovery, Protocol::xmpp};
  }
  if (xmpp_default_ == PolicyDefault::allow) {
    return {DomainKind::xmpp_federated, Protocol::xmpp};
  }
  return {DomainKind::unknown, Protocol::xmpp};
}

// The most specific exception: the exact domain, then "*.suffix" from longest to shortest.
const Direction* PolicySnapshot::find_exception(std::string_view domain) const {
  if (auto it = xmpp_exact_.find(domain); it != xmpp_exact_.end()) {
    return &it->second;
  }
  if (xmpp_wildcard_.empty()) {
    return nullptr;
  }
  for (std::string_view d = domain;;) {
    if (auto it = xmpp_wildcard_.find(d); it != xmpp_wildcard_.end()) {
      return &it->second;
    }
    auto dot = d.find('.');
    if (dot == std::string_view::npos) {
      return nullptr;
    }
    d.remove_prefix(dot + 1);
  }
}

}  // namespace fedgate::presence
