// Router::route through the fake pair of connection managers: delivery modes, every refusal
// path with its reason, email for federation, discovery. RFC 7572 §4/§5 examples' addresses.
#include "presence/router.hpp"

#include <gtest/gtest.h>

#include "tests/unit/presence/router/fake_switchboard.hpp"
#include "tests/unit/presence/router/policy_fixture.hpp"

namespace fedgate::presence {
namespace {

using testing_support::addr;
using testing_support::base_rows;
using testing_support::FakeSwitchboard;
using testing_support::rule;

InboundMessage im(const char* from, const char* to, const char* body = "Art thou not Romeo?") {
  InboundMessage m;
  m.id = "msg1";
  m.from = addr(from);
  m.to = addr(to);
  m.content.body = body;
  return m;
}

struct RouteCase {
  const char* from;
  const char* to;
  const char* kind;  // recorded outbound event kind
  Protocol side;
  const char* reason;  // refusal reason, "" when delivered
};

class RouteTable : public testing::TestWithParam<RouteCase> {};

TEST_P(RouteTable, DecisionReachesTheRightSide) {
  auto rows = base_rows();
  rows.user_policies = {
      rule("alice@corp.example", "romeo@partner-lync.example", RuleAction::block, RuleScope::im)};
  rows.users = {{"off@corp.example", "", "", false}};
  FakeSwitchboard sb{rows};
  sb.message(im(GetParam().from, GetParam().to));
  auto out = sb.take();
  ASSERT_EQ(out.size(), 1u) << GetParam().from << " -> " << GetParam().to;
  EXPECT_EQ(out[0].kind, GetParam().kind);
  EXPECT_EQ(out[0].side, GetParam().side);
  EXPECT_EQ(sb.refusal_reasons.empty() ? "" : sb.refusal_reasons[0], GetParam().reason);
}

INSTANTIATE_TEST_SUITE_P(
    Table, RouteTable,
    testing::Values(
        RouteCase{"juliet@xmpp-partner.example", "romeo@lync.example", "invite", Protocol::sip, ""},
        RouteCase{"romeo@partner-lync.example", "juliet@corp.example", "message", Protocol::xmpp,
                  ""},
        RouteCase{"juliet@corp.example", "romeo@partner-lync.example", "invite", Protocol::sip, ""},
        RouteCase{"juliet@corp.example", "r@plain-sip.example", "page", Protocol::sip, ""},
        RouteCase{"romeo@partner-lync.example", "alice@corp.example", "error", Protocol::sip,
                  "user_policy_block"},
        RouteCase{"alice@corp.example", "romeo@partner-lync.example", "error", Protocol::xmpp,
                  "user_policy_block"},
        RouteCase{"x@stranger.example", "juliet@corp.example", "error", Protocol::xmpp,
                  "domain_not_federated"},
        RouteCase{"juliet@corp.example", "x@out-only.example", "message", Protocol::xmpp, ""},
        RouteCase{"x@out-only.example", "juliet@corp.example", "error", Protocol::xmpp,
                  "xmpp_policy_default_deny"},
        RouteCase{"romeo@partner-lync.example", "off@corp.example", "error", Protocol::sip,
                  "user_not_federated"},
        RouteCase{"juliet@corp.example", "romeo@lync.example", "error", Protocol::xmpp,
                  "local_to_local"}));

TEST(Router, BlockedPartnerGetsTheSameAnswerAsAnAbsentUser) {
  auto rows = base_rows();
  rows.user_policies = {rule("alice@corp.example", "partner-lync.example", RuleAction::block)};
  PolicySnapshot policy{rows};
  auto blocked = route(im("romeo@partner-lync.example", "alice@corp.example"), policy);
  ASSERT_TRUE(std::holds_alternative<Refuse>(blocked));
  EXPECT_EQ(std::get<Refuse>(blocked).condition, ErrorCondition::service_unavailable);
  EXPECT_EQ(std::get<Refuse>(blocked).reason, "user_policy_block");
}

TEST(Router, EmailForFederationRewritesAndDropsOldNativeAddress) {
  auto rows = base_rows();
  rows.local_domains.push_back({"mail.example", Protocol::xmpp});
  rows.settings.email_for_federation = true;
  rows.users = {{"asmith@corp.example", "alice.smith@mail.example", "", true}};
  PolicySnapshot policy{rows};
  auto in = route(im("romeo@partner-lync.example", "alice.smith@mail.example"), policy);
  ASSERT_TRUE(std::holds_alternative<Deliver>(in));
  EXPECT_EQ(std::get<Deliver>(in).message.to.full(), "asmith@corp.example");
  auto out = route(im("asmith@corp.example", "romeo@partner-lync.example"), policy);
  EXPECT_EQ(std::get<Deliver>(out).message.from.full(), "alice.smith@mail.example");
  auto old = route(im("romeo@partner-lync.example", "asmith@corp.example"), policy);
  EXPECT_EQ(old, (Decision{Drop{"old_native_address"}}));
}

TEST(Router, UnknownDomainUnderOpenFederationAsksForDiscoveryNotRelay) {
  auto rows = base_rows();
  rows.settings.open_federation = true;
  PolicySnapshot policy{rows};
  EXPECT_EQ(route(im("juliet@corp.example", "x@new.example"), policy),
            (Decision{Discover{"new.example"}}));
  auto relay = route(im("x@new.example", "y@other.example"), policy);
  EXPECT_EQ(std::get<Refuse>(relay).reason, "relay_denied");
}

TEST(Router, ContentTravelsUnchanged) {
  PolicySnapshot policy{base_rows()};
  auto in = im("romeo@partner-lync.example", "juliet@corp.example");
  in.content.formatted_body = "<p>Neither, fair saint</p>";
  in.content.formatted_type = "text/html";
  in.content.language = "en";
  in.content.chat_state = ChatState::active;
  auto d = route(in, policy);
  EXPECT_EQ(std::get<Deliver>(d).message.content, in.content);
  EXPECT_EQ(std::get<Deliver>(d).message.in_id, "msg1");
}

TEST(Router, PageModeToStandardSipPeersIsPlainText) {
  PolicySnapshot policy{base_rows()};
  auto in = im("juliet@corp.example", "r@plain-sip.example");
  in.content.formatted_body = "<p xmlns='http://www.w3.org/1999/xhtml'>hi</p>";
  in.content.formatted_type = "xhtml-im";
  auto d = std::get<Deliver>(route(in, policy));
  EXPECT_EQ(d.message.mode, DeliveryMode::sip_page);
  EXPECT_EQ(d.message.content.body, in.content.body);
  EXPECT_TRUE(d.message.content.formatted_body.empty());
  auto lync = std::get<Deliver>(route(im("juliet@corp.example", "r@partner-lync.example"), policy));
  EXPECT_EQ(lync.message.mode, DeliveryMode::sip_session);
}

TEST(Router, BounceGoesBackToTheSenderWithTheMappedSipError) {
  auto rows = base_rows();
  rows.local_domains.push_back({"mail.example", Protocol::sip});
  rows.settings.email_for_federation = true;
  rows.users = {{"rsmith@lync.example", "romeo@mail.example", "", true}};
  PolicySnapshot policy{rows};
  auto d = std::get<Deliver>(route(im("rsmith@lync.example", "j@xmpp-partner.example"), policy));
  auto n = bounce(d.message, {ErrorCondition::remote_server_timeout, "no ack"}, policy, "gw");
  EXPECT_EQ(n.to.full(), "rsmith@lync.example");  // native, as its Lync home knows it
  EXPECT_EQ(n.from.full(), "j@xmpp-partner.example");
  ASSERT_TRUE(n.sip.has_value());
  EXPECT_EQ(n.sip->code, 408);
  EXPECT_EQ(n.sip->warning, "399 gw \"no ack\"");
  EXPECT_EQ(n.in_id, "msg1");
}

}  // namespace
}  // namespace fedgate::presence
