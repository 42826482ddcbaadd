// PolicySnapshot: classification, wildcard and direction rules, open federation cache and
// default route, per-user rules. Table-driven.
#include "presence/policy_snapshot.hpp"

#include <gtest/gtest.h>

#include "tests/unit/presence/router/policy_fixture.hpp"

namespace fedgate::presence {
namespace {

using testing_support::base_rows;

struct ClassCase {
  const char* domain;
  DomainKind kind;
  Protocol protocol;
};

class Classify : public testing::TestWithParam<ClassCase> {};

TEST_P(Classify, DomainKindAndProtocol) {
  PolicySnapshot policy{base_rows()};
  auto c = policy.classify(GetParam().domain);
  EXPECT_EQ(c.kind, GetParam().kind) << GetParam().domain << " " << to_string(c.kind);
  EXPECT_EQ(c.protocol, GetParam().protocol) << GetParam().domain;
}

INSTANTIATE_TEST_SUITE_P(
    Table, Classify,
    testing::Values(ClassCase{"corp.example", DomainKind::local, Protocol::xmpp},
                    ClassCase{"lync.example", DomainKind::local, Protocol::sip},
                    ClassCase{"partner-lync.example", DomainKind::sip_federated, Protocol::sip},
                    ClassCase{"xmpp-partner.example", DomainKind::xmpp_federated, Protocol::xmpp},
                    ClassCase{"jabber.example", DomainKind::xmpp_federated, Protocol::xmpp},
                    ClassCase{"a.b.jabber.example", DomainKind::xmpp_federated, Protocol::xmpp},
                    ClassCase{"notjabber.example", DomainKind::unknown, Protocol::xmpp},
                    ClassCase{"stranger.example", DomainKind::unknown, Protocol::xmpp}));

struct DirectionCase {
  const char* from;
  const char* to;
  bool allowed;
  const char* reason;
};

class MaySend : public testing::TestWithParam<DirectionCase> {};

TEST_P(MaySend, MaySendPerDirection) {
  PolicySnapshot policy{base_rows()};
  auto v = policy.may_send(GetParam().from, GetParam().to);
  EXPECT_EQ(v.allowed, GetParam().allowed) << GetParam().from << " -> " << GetParam().to;
  EXPECT_EQ(v.reason, GetParam().reason);
}

INSTANTIATE_TEST_SUITE_P(
    Table, MaySend,
    testing::Values(
        DirectionCase{"in-only.example", "corp.example", true, ""},
        DirectionCase{"corp.example", "in-only.example", false, "xmpp_policy_default_deny"},
        DirectionCase{"corp.example", "out-only.example", true, ""},
        DirectionCase{"out-only.example", "corp.example", false, "xmpp_policy_default_deny"},
        DirectionCase{"sub.jabber.example", "lync.example", true, ""},
        DirectionCase{"lync.example", "partner-lync.example", true, ""},
        DirectionCase{"stranger.example", "corp.example", false, "domain_not_federated"},
        DirectionCase{"corp.example", "lync.example", false, "local_to_local"},
        DirectionCase{"xmpp-partner.example", "partner-lync.example", false, "relay_denied"}));

TEST(PolicySnapshot, DefaultAllowExceptionDeniesOnlyItsDirection) {
  auto rows = base_rows();
  rows.xmpp_default = PolicyDefault::allow;
  PolicySnapshot policy{rows};
  EXPECT_TRUE(policy.may_send("stranger.example", "corp.example").allowed);
  EXPECT_EQ(policy.may_send("corp.example", "in-only.example").allowed, true);
  EXPECT_EQ(policy.may_send("in-only.example", "corp.example").reason, "xmpp_policy_exception");
  EXPECT_EQ(policy.may_send("x.jabber.example", "corp.example").reason, "xmpp_policy_exception");
}

TEST(PolicySnapshot, SipFederatedWinsOverXmppExceptionAndWarns) {
  auto rows = base_rows();
  rows.xmpp_exceptions.push_back({"partner-lync.example", Direction::all});
  PolicySnapshot policy{rows};
  EXPECT_EQ(policy.classify("partner-lync.example").kind, DomainKind::sip_federated);
  ASSERT_FALSE(policy.warnings().empty());
  EXPECT_EQ(policy.warnings().back(), "domain_in_both:partner-lync.example");
}

}  // namespace
}  // namespace fedgate::presence
