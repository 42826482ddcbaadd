// Test oracle: a deliberately naive reading of PolicyRows (linear scans, string suffix
// matching), written independently of PolicySnapshot's indexes, plus a random policy
// generator for the property tests. No open federation, no email for federation.
#pragma once

#include <random>
#include <string>
#include <vector>

#include "presence/model/address.hpp"
#include "presence/policy_rows.hpp"
#include "presence/policy_snapshot.hpp"

namespace fedgate::presence::testing_support {

inline bool ref_is_local(const PolicyRows& rows, std::string_view d) {
  for (const auto& l : rows.local_domains) {
    if (l.domain == d) {
      return true;
    }
  }
  return false;
}

// Exact exception first, else the longest "*.x" with d == x or d ending in ".x".
inline const XmppPolicyExceptionRow* ref_exception(const PolicyRows& rows, std::string_view d) {
  const XmppPolicyExceptionRow* best = nullptr;
  std::size_t best_len = 0;
  for (const auto& e : rows.xmpp_exceptions) {
    if (e.pattern == d) {
      return &e;
    }
    if (e.pattern.rfind("*.", 0) == 0) {
      std::string x = e.pattern.substr(2);
      bool covers = d == x || (d.size() > x.size() && d.ends_with("." + x));
      if (covers && x.size() >= best_len) {
        best = &e;
        best_len = x.size();
      }
    }
  }
  return best;
}

inline bool ref_domain_allows(const PolicyRows& rows, const Address& from, const Address& to) {
  bool fl = ref_is_local(rows, from.domain());
  bool tl = ref_is_local(rows, to.domain());
  if (fl == tl) {
    return false;
  }
  std::string_view remote = tl ? from.domain() : to.domain();
  for (const auto& s : rows.sip_federated_domains) {
    if (s.domain == remote) {
      return true;
    }
  }
  bool allow = rows.xmpp_default == PolicyDefault::allow;
  if (const auto* e = ref_exception(rows, remote)) {
    bool applies = e->direction == Direction::all ||
                   (e->direction == Direction::inbound_only && tl) ||
                   (e->direction == Direction::outbound_only && fl);
    if (applies) {
      return !allow;
    }
  }
  return allow;
}

inline bool ref_user_blocks(const PolicyRows& rows, const Address& local, const Address& remote,
                            TrafficKind kind) {
  for (std::string_view target : {remote.bare(), remote.domain()}) {
    bool any = false;
    bool block = false;
    for (const auto& r : rows.user_policies) {
      bool scope =
          r.scope == RuleScope::both || (r.scope == RuleScope::im) == (kind == TrafficKind::im);
      if (r.local_user == local.bare() && r.target == target && scope) {
        any = true;
        block = block || r.action == RuleAction::block;
      }
    }
    if (any) {
      return block;
    }
  }
  return false;
}

inline bool ref_federation_enabled(const PolicyRows& rows, const Address& local) {
  for (const auto& u : rows.users) {
    if (u.address == local.bare()) {
      return u.federation_enabled;
    }
  }
  return true;
}

inline bool reference_allows(const PolicyRows& rows, const Address& from, const Address& to,
                             TrafficKind kind) {
  if (!ref_domain_allows(rows, from, to)) {
    return false;
  }
  bool inbound = ref_is_local(rows, to.domain());
  const Address& local = inbound ? to : from;
  const Address& remote = inbound ? from : to;
  return ref_federation_enabled(rows, local) && !ref_user_blocks(rows, local, remote, kind);
}

// Presence from a local presentity to a remote watcher the presentity blocks.
inline bool reference_blocks_presence(const PolicyRows& rows, const Address& presentity,
                                      const Address& watcher) {
  return ref_is_local(rows, presentity.domain()) && !ref_is_local(rows, watcher.domain()) &&
         ref_user_blocks(rows, presentity, watcher, TrafficKind::presence);
}

inline PolicyRows random_rows(std::mt19937& rng) {
  auto coin = [&] { return std::uniform_int_distribution<int>(0, 1)(rng) == 1; };
  auto any = [&](const std::vector<std::string>& v) {
    return v[std::uniform_int_distribution<std::size_t>(0, v.size() - 1)(rng)];
  };
  PolicyRows rows;
  rows.local_domains = {{"corp.example", Protocol::xmpp}, {"lync.example", Protocol::sip}};
  for (const char* d : {"sip1.example", "sip2.example", "c.example"}) {
    if (coin()) {
      rows.sip_federated_domains.push_back(
          {d, coin() ? SipIntegration::s4b : SipIntegration::standard_sip, ""});
    }
  }
  rows.xmpp_default = coin() ? PolicyDefault::allow : PolicyDefault::deny;
  const std::vector<std::string> patterns = {"a.example",       "*.b.example", "sub.b.example",
                                             "*.sub.b.example", "c.example",   "d.example"};
  for (const auto& pattern : patterns) {
    if (coin()) {
      auto dir = static_cast<Direction>(std::uniform_int_distribution<int>(0, 2)(rng));
      rows.xmpp_exceptions.push_back({pattern, dir});
    }
  }
  const std::vector<std::string> locals = {"u1@corp.example", "u2@corp.example", "u3@lync.example"};
  const std::vector<std::string> targets = {"r1@a.example",       "r2@sub.b.example", "b.example",
                                            "sip1.example",       "r4@sip1.example",  "c.example",
                                            "r8@x.sub.b.example", "a.example"};
  int n = std::uniform_int_distribution<int>(0, 8)(rng);
  for (int i = 0; i < n; ++i) {
    rows.user_policies.push_back(
        {any(locals), any(targets), coin() ? RuleAction::block : RuleAction::allow,
         static_cast<RuleScope>(std::uniform_int_distribution<int>(0, 2)(rng))});
  }
  if (coin()) {
    rows.users.push_back({any(locals), "", "", false});
  }
  return rows;
}

}  // namespace fedgate::presence::testing_support
