// PolicySnapshot: the administrator's policy tables indexed for decisions; immutable, shared
// as shared_ptr<const PolicySnapshot> and swapped on LISTEN/NOTIFY (STYLE.md B5.4). Owned
// by presence_router; read-only on any executor. One engine for both protocols; every
// refusal carries a stable snake_case reason token (STYLE.md B6).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "presence/federation_identity.hpp"
#include "presence/model/address.hpp"
#include "presence/policy_rows.hpp"
#include "presence/presence_translator.hpp"
#include "presence/string_hash.hpp"

namespace fedgate::presence {

enum class DomainKind {
  local,            // one of local_domains: reached through its home
  sip_federated,    // sip_federated_domains: the only domains allowed SIP federation traffic
  xmpp_federated,   // matched by an XMPP policy exception, or any domain under default allow
  open_federation,  // discovered earlier and listed in open_federation_cache
  needs_discovery,  // unknown, and the default route ".*" is unblocked: discover by DNS
  unknown,          // not federated: refused
};

std::string_view to_string(DomainKind k) noexcept;

struct DomainClass {
  DomainKind kind = DomainKind::unknown;
  Protocol protocol = Protocol::xmpp;  // meaningful for every kind but needs_discovery/unknown
  SipIntegration integration = SipIntegration::s4b;  // for sip_federated
  friend bool operator==(const DomainClass&, const DomainClass&) = default;
};

enum class TrafficDirection { inbound, outbound };  // relative to the local domain
enum class TrafficKind { presence, im };

// allowed, or refused with a stable reason token ("" when allowed).
struct PolicyVerdict {
  bool allowed = true;
  std::string_view reason;
  friend bool operator==(const PolicyVerdict&, const PolicyVerdict&) = default;
};

// The ordered checks for an incoming subscription (issue 5).
enum class SubscriptionVerdict {
  refuse,        // domain not permitted, or user not federated: the local user is never asked
  polite_block,  // user/domain blocked by the local user: accept; watcher sees offline forever
  ask_home,      // pending: the local user's home is asked, the answer is stored
};

struct SubscriptionCheck {
  SubscriptionVerdict verdict = SubscriptionVerdict::ask_home;
  std::string_view reason;  // "" for ask_home
};

class PolicySnapshot {
 public:
  explicit PolicySnapshot(const PolicyRows& rows);

  std::int64_t version() const noexcept { return version_; }

  // `domain` must be normalised (lowercase, as Address::domain() is).
  DomainClass classify(std::string_view domain) const;
  bool is_local(std::string_view domain) const { return local_.contains(domain); }
  bool discovery_enabled() const noexcept { return discovery_enabled_; }

  // May traffic flow from `from_domain` to `to_domain`? Exactly one side must be local; the
  // remote side must be federated and allowed in this direction.
  PolicyVerdict may_send(std::string_view from_domain, std::string_view to_domain) const;
  // The XMPP policy (default + the most specific exception) for a remote XMPP domain.
  PolicyVerdict xmpp_policy(std::string_view remote_domain, DomainKind kind,
                            TrafficDirection direction) const;
  // The local user's own rules: by remote user first, then by remote domain; default allow.
  RuleAction user_rule(const Address& local_user, const Address& remote, TrafficKind kind) const;
  // Domain, then user and domain rules, for an incoming subscription (both native addresses).
  SubscriptionCheck check_incoming_subscription(const Address& watcher,
                                                const Address& presentity) const;

  const FederationIdentity& identity() const noexcept { return identity_; }
  const PresenceTranslator& translator() const noexcept { return translator_; }
  const Settings& settings() const noexcept { return settings_; }
  // Problems found while indexing ("domain_in_both:x", "bad_row:..."), for the reload log.
  const std::vector<std::string>& warnings() const noexcept { return warnings_; }

 private:
  struct LocalDomain {
    Protocol home_protocol = Protocol::xmpp;
  };
  struct UserRule {
    std::optional<RuleAction> presence;
    std::optional<RuleAction> im;
  };

  void index_domains(const PolicyRows& rows);
  void index_xmpp_exceptions(const PolicyRows& rows);
  void index_user_rules(const PolicyRows& rows);
  void index_default_route(const PolicyRows& rows);
  const Direction* find_exception(std::string_view domain) const;
  // classify(), also handing out the XMPP exception it looked up (nullptr when none or when
  // classification ended before the exception lookup).
  DomainClass classify(std::string_view domain, const Direction*& exception) const;
  PolicyVerdict xmpp_verdict(const Direction* exception, DomainKind kind,
                             TrafficDirection direction) const;
  std::optional<RuleAction> find_rule(std::string_view local, std::string_view target,
                                      TrafficKind kind) const;

  std::int64_t version_ = 0;
  Settings settings_;
  StringMap<LocalDomain> local_;
  StringMap<SipIntegration> sip_federated_;
  StringMap<Protocol> open_cache_;
  PolicyDefault xmpp_default_ = PolicyDefault::allow;
  StringMap<Direction> xmpp_exact_;     // "partner.example"
  StringMap<Direction> xmpp_wildcard_;  // "*.partner.example" stored as "partner.example"
  StringMap<UserRule> user_rules_;      // key: local user bare + '\n' + target
  bool discovery_enabled_ = false;
  FederationIdentity identity_;
  PresenceTranslator translator_;
  std::vector<std::string> warnings_;
};

}  // namespace fedgate::presence
