// Test helpers: a PolicyRows builder with the domains used across the presence tests, and
// an Address shorthand. corp.example (XMPP home) and lync.example (SIP home) are local.
#pragma once

#include <string>

#include "presence/model/address.hpp"
#include "presence/policy_rows.hpp"

namespace fedgate::presence::testing_support {

inline Address addr(const std::string& text) { return Address::parse(text).value(); }

inline PolicyRows base_rows() {
  PolicyRows rows;
  rows.version = 1;
  rows.local_domains = {{"corp.example", Protocol::xmpp}, {"lync.example", Protocol::sip}};
  rows.sip_federated_domains = {{"partner-lync.example", SipIntegration::s4b, ""},
                                {"plain-sip.example", SipIntegration::standard_sip, ""}};
  rows.xmpp_default = PolicyDefault::deny;
  rows.xmpp_exceptions = {{"xmpp-partner.example", Direction::all},
                          {"*.jabber.example", Direction::all},
                          {"in-only.example", Direction::inbound_only},
                          {"out-only.example", Direction::outbound_only}};
  return rows;
}

inline UserPolicyRow rule(const char* local, const char* target, RuleAction action,
                          RuleScope scope = RuleScope::both) {
  return UserPolicyRow{local, target, action, scope};
}

}  // namespace fedgate::presence::testing_support
