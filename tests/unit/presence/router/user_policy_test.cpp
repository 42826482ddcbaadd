// Per-user rules (by user and by whole domain, scope presence/im/both) and the ordered checks
// for an incoming subscription: domain → federation flag → user rules → ask the home.
#include <gtest/gtest.h>

#include "presence/policy_snapshot.hpp"
#include "tests/unit/presence/router/policy_fixture.hpp"

namespace fedgate::presence {
namespace {

using testing_support::addr;
using testing_support::base_rows;
using testing_support::rule;

PolicySnapshot with_rules() {
  auto rows = base_rows();
  rows.user_policies = {
      rule("alice@corp.example", "xmpp-partner.example", RuleAction::block),
      rule("alice@corp.example", "friend@xmpp-partner.example", RuleAction::allow),
      rule("alice@corp.example", "chatty@partner-lync.example", RuleAction::block, RuleScope::im),
      rule("alice@corp.example", "watcher@partner-lync.example", RuleAction::block,
           RuleScope::presence)};
  rows.users = {{"nofed@corp.example", "", "", false}};
  return PolicySnapshot{rows};
}

struct RuleCase {
  const char* remote;
  TrafficKind kind;
  RuleAction expected;
};

class UserRule : public testing::TestWithParam<RuleCase> {};

TEST_P(UserRule, UserRuleBeatsDomainRuleAndScopeApplies) {
  auto policy = with_rules();
  auto got = policy.user_rule(addr("alice@corp.example"), addr(GetParam().remote), GetParam().kind);
  EXPECT_EQ(got, GetParam().expected) << GetParam().remote;
}

INSTANTIATE_TEST_SUITE_P(
    Table, UserRule,
    testing::Values(
        RuleCase{"bob@xmpp-partner.example", TrafficKind::im, RuleAction::block},
        RuleCase{"bob@xmpp-partner.example", TrafficKind::presence, RuleAction::block},
        RuleCase{"friend@xmpp-partner.example", TrafficKind::im, RuleAction::allow},
        RuleCase{"chatty@partner-lync.example", TrafficKind::im, RuleAction::block},
        RuleCase{"chatty@partner-lync.example", TrafficKind::presence, RuleAction::allow},
        RuleCase{"watcher@partner-lync.example", TrafficKind::presence, RuleAction::block},
        RuleCase{"watcher@partner-lync.example", TrafficKind::im, RuleAction::allow},
        RuleCase{"other@partner-lync.example", TrafficKind::im, RuleAction::allow}));

struct SubCase {
  const char* watcher;
  const char* presentity;
  SubscriptionVerdict verdict;
  const char* reason;
};

class IncomingSubscription : public testing::TestWithParam<SubCase> {};

TEST_P(IncomingSubscription, OrderedChecks) {
  auto policy = with_rules();
  auto c =
      policy.check_incoming_subscription(addr(GetParam().watcher), addr(GetParam().presentity));
  EXPECT_EQ(c.verdict, GetParam().verdict) << GetParam().watcher;
  EXPECT_EQ(c.reason, GetParam().reason);
}

INSTANTIATE_TEST_SUITE_P(
    Table, IncomingSubscription,
    testing::Values(SubCase{"x@stranger.example", "alice@corp.example", SubscriptionVerdict::refuse,
                            "domain_not_federated"},
                    SubCase{"x@out-only.example", "alice@corp.example", SubscriptionVerdict::refuse,
                            "xmpp_policy_default_deny"},
                    SubCase{"bob@partner-lync.example", "nofed@corp.example",
                            SubscriptionVerdict::refuse, "user_not_federated"},
                    SubCase{"bob@xmpp-partner.example", "alice@corp.example",
                            SubscriptionVerdict::polite_block, "user_policy_block"},
                    SubCase{"watcher@partner-lync.example", "alice@corp.example",
                            SubscriptionVerdict::polite_block, "user_policy_block"},
                    SubCase{"friend@xmpp-partner.example", "alice@corp.example",
                            SubscriptionVerdict::ask_home, ""},
                    SubCase{"chatty@partner-lync.example", "alice@corp.example",
                            SubscriptionVerdict::ask_home, ""},
                    SubCase{"x@stranger.example", "x@elsewhere.example",
                            SubscriptionVerdict::refuse, "presentity_not_local"}));

}  // namespace
}  // namespace fedgate::presence
