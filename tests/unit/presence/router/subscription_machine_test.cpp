// SubscriptionMachine through the fake connection managers: RFC 8048 §5.2.1 (XMPP user
// subscribes to a SIP contact: juliet@example.com / romeo@example.net in the RFC, here on
// the test domains), §5.3.1 (SIP user subscribes to XMPP contact), polite block, probes.
#include "presence/subscription_machine.hpp"

#include <algorithm>

#include <gtest/gtest.h>

#include "tests/unit/presence/router/fake_switchboard.hpp"
#include "tests/unit/presence/router/policy_fixture.hpp"

namespace fedgate::presence {
namespace {

using testing_support::addr;
using testing_support::base_rows;
using testing_support::FakeSwitchboard;
using testing_support::rule;

const Address kJuliet = addr("juliet@corp.example");        // local, XMPP home
const Address kRomeo = addr("romeo@partner-lync.example");  // SIP partner
const Address kBob = addr("bob@xmpp-partner.example");      // XMPP partner

SubscriptionRequest req(SubscriptionAction a, const Address& from, const Address& to) {
  return SubscriptionRequest{a, from, to, "sub1"};
}

SipSubscriptionEvent sip(SubscriptionState s, const std::string& reason = {}) {
  return SipSubscriptionEvent{kJuliet,   kRomeo, s, reason, WallTime{std::chrono::hours{1001}},
                              "dialog-a"};
}

TEST(SubscriptionMachine, XmppUserSubscribesToSipContact) {
  FakeSwitchboard sb{base_rows()};
  sb.subscription(req(SubscriptionAction::subscribe, kJuliet, kRomeo));  // F1 → F3
  auto out = sb.take();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].kind, "subscribe");
  EXPECT_EQ(out[0].side, Protocol::sip);
  sb.sip_state(sip(SubscriptionState::active));  // F6: 200 OK / NOTIFY active
  out = sb.take();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].kind, "approve");  // F13: <presence type='subscribed'/>
  EXPECT_EQ(out[0].to, kJuliet);
  sb.presence(kRomeo, Availability::away, "At the ball");  // F7 → F14
  out = sb.take();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].availability, Availability::away);
  EXPECT_EQ(out[0].detail, "At the ball");
  EXPECT_EQ(sb.subscription_store.size(), 1u);
}

TEST(SubscriptionMachine, FedgateRefreshesTheSipSideBeforeExpiry) {
  FakeSwitchboard sb{base_rows()};
  sb.subscription(req(SubscriptionAction::subscribe, kJuliet, kRomeo));
  auto fx = sb.subscriptions.on_sip_state(sip(SubscriptionState::active), sb.policy(), sb.wall_now);
  ASSERT_TRUE(fx.wake_at.has_value());
  EXPECT_EQ(*fx.wake_at, WallTime{std::chrono::hours{1001}} - std::chrono::seconds{60});
  EXPECT_TRUE(sb.subscriptions.on_wake(*fx.wake_at - std::chrono::seconds{1}).effects.empty());
  auto due = sb.subscriptions.on_wake(*fx.wake_at);
  ASSERT_EQ(due.effects.size(), 1u);
  auto& refresh = std::get<RefreshSubscription>(due.effects[0]);
  EXPECT_EQ(refresh.subscription.sip_dialog, "dialog-a");
}

std::size_t saves(const SubscriptionEffects& fx) {
  return static_cast<std::size_t>(std::count_if(
      fx.effects.begin(), fx.effects.end(),
      [](const SubscriptionEffect& e) { return std::holds_alternative<SaveSubscription>(e); }));
}

// Every NOTIFY reports a fresh expiry: only a state, a dialog or a far-moved expiry is saved.
TEST(SubscriptionMachine, NotifyThatChangesNothingDurableIsNotSaved) {
  FakeSwitchboard sb{base_rows()};
  sb.subscription(req(SubscriptionAction::subscribe, kJuliet, kRomeo));
  auto e = sip(SubscriptionState::active);
  EXPECT_EQ(saves(sb.subscriptions.on_sip_state(e, sb.policy(), sb.wall_now)), 1u);  // pending → active
  e.expires += std::chrono::seconds{299};
  auto fx = sb.subscriptions.on_sip_state(e, sb.policy(), sb.wall_now);
  EXPECT_EQ(saves(fx), 0u);
  ASSERT_TRUE(fx.wake_at.has_value());  // the refresh still follows the newest expiry
  EXPECT_EQ(*fx.wake_at, e.expires - std::chrono::seconds{60});
  EXPECT_EQ(sb.subscriptions.find(kJuliet, kRomeo)->expires, WallTime{std::chrono::hours{1001}});
  e.expires += std::chrono::seconds{2};  // 301 s from the stored one
  fx = sb.subscriptions.on_sip_state(e, sb.policy(), sb.wall_now);
  ASSERT_EQ(saves(fx), 1u);
  EXPECT_EQ(std::get<SaveSubscription>(fx.effects[0]).subscription.expires, e.expires);
}

TEST(SubscriptionMachine, NotifyInANewDialogIsSaved) {
  FakeSwitchboard sb{base_rows()};
  sb.subscription(req(SubscriptionAction::subscribe, kJuliet, kRomeo));
  sb.sip_state(sip(SubscriptionState::active));
  auto e = sip(SubscriptionState::active);
  e.sip_dialog = "dialog-b";
  auto fx = sb.subscriptions.on_sip_state(e, sb.policy(), sb.wall_now);
  ASSERT_EQ(saves(fx), 1u);
  EXPECT_EQ(std::get<SaveSubscription>(fx.effects[0]).subscription.sip_dialog, "dialog-b");
  EXPECT_EQ(saves(sb.subscriptions.on_sip_state(e, sb.policy(), sb.wall_now)), 0u);
}

// A subscription whose save never returned an id (store down) is saved again by a NOTIFY.
TEST(SubscriptionMachine, UnsavedSubscriptionIsSavedByTheNextNotify) {
  FakeSwitchboard sb{base_rows()};
  auto fx = sb.subscriptions.on_request(req(SubscriptionAction::subscribe, kJuliet, kRomeo),
                                        sb.policy(), sb.wall_now);
  ASSERT_EQ(saves(fx), 1u);  // not carried out: no id assigned
  auto e = sip(SubscriptionState::pending);
  EXPECT_EQ(saves(sb.subscriptions.on_sip_state(e, sb.policy(), sb.wall_now)), 1u);
  EXPECT_EQ(saves(sb.subscriptions.on_sip_state(e, sb.policy(), sb.wall_now)), 1u);
  sb.subscriptions.on_saved(kJuliet, kRomeo, 7);
  EXPECT_EQ(saves(sb.subscriptions.on_sip_state(e, sb.policy(), sb.wall_now)), 0u);
}

TEST(SubscriptionMachine, SipTerminationByTimeoutResubscribesButRejectedEnds) {
  FakeSwitchboard sb{base_rows()};
  sb.subscription(req(SubscriptionAction::subscribe, kJuliet, kRomeo));
  sb.sip_state(sip(SubscriptionState::active));
  sb.take();
  sb.sip_state(sip(SubscriptionState::terminated, "timeout"));
  auto out = sb.take();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].kind, "refresh");
  sb.sip_state(sip(SubscriptionState::terminated, "rejected"));
  out = sb.take();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].kind, "deny");  // <presence type='unsubscribed'/> to juliet
  EXPECT_EQ(sb.subscriptions.size(), 0u);
  EXPECT_EQ(sb.subscription_store.size(), 0u);
}

TEST(SubscriptionMachine, SipUserSubscribesToXmppContactAndHomeApproves) {
  FakeSwitchboard sb{base_rows()};
  sb.subscription(req(SubscriptionAction::subscribe, kRomeo, kJuliet));  // F26 → F28
  auto out = sb.take();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].kind, "subscribe");
  EXPECT_EQ(out[0].side, Protocol::xmpp);  // the home is asked
  EXPECT_EQ(sb.subscriptions.find(kRomeo, kJuliet)->state, SubscriptionState::pending);
  sb.presence(kJuliet, Availability::available, "Wherefore");
  EXPECT_TRUE(sb.take().empty());  // nothing flows while pending
  sb.subscription(req(SubscriptionAction::approve, kJuliet, kRomeo));  // F31 → F32
  out = sb.take();
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].kind, "approve");
  EXPECT_EQ(out[1].kind, "presence");
  EXPECT_EQ(out[1].availability, Availability::available);
}

TEST(SubscriptionMachine, RefusedDomainIsNeverAskedAbout) {
  FakeSwitchboard sb{base_rows()};
  sb.subscription(req(SubscriptionAction::subscribe, addr("x@stranger.example"), kJuliet));
  auto out = sb.take();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].kind, "error");
  EXPECT_EQ(out[0].to, addr("x@stranger.example"));
  EXPECT_EQ(sb.refusal_reasons.at(0), "domain_not_federated");
  EXPECT_EQ(sb.subscriptions.size(), 0u);
}

TEST(SubscriptionMachine, PoliteBlockAcceptsAndShowsOfflineForever) {
  auto rows = base_rows();
  rows.user_policies = {rule("juliet@corp.example", "bob@xmpp-partner.example", RuleAction::block)};
  FakeSwitchboard sb{rows};
  sb.subscription(req(SubscriptionAction::subscribe, kBob, kJuliet));
  auto out = sb.take();
  ASSERT_EQ(out.size(), 2u);  // subscribed + offline; the home is never asked
  EXPECT_EQ(out[0].kind, "approve");
  EXPECT_EQ(out[1].availability, Availability::offline);
  sb.presence(kJuliet, Availability::chat);
  EXPECT_TRUE(sb.take().empty());
  sb.subscription(req(SubscriptionAction::probe, kBob, kJuliet));
  out = sb.take();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].availability, Availability::offline);
}

TEST(SubscriptionMachine, ProbeFromLocalUserIsAnsweredFromTheCache) {
  FakeSwitchboard sb{base_rows()};
  sb.subscription(req(SubscriptionAction::probe, kJuliet, kRomeo));
  auto out = sb.take();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].kind, "probe");  // nothing cached: RFC 8048 §7.1 fetch on the SIP side
  sb.presence(kRomeo, Availability::busy);
  sb.subscription(req(SubscriptionAction::probe, kJuliet, kRomeo));
  out = sb.take();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].kind, "presence");
  EXPECT_EQ(out[0].availability, Availability::busy);
}

TEST(SubscriptionMachine, CancelFromWatcherEndsAndIsForwarded) {
  FakeSwitchboard sb{base_rows()};
  sb.subscription(req(SubscriptionAction::subscribe, kRomeo, kJuliet));
  sb.subscription(req(SubscriptionAction::approve, kJuliet, kRomeo));
  sb.take();
  sb.subscription(req(SubscriptionAction::cancel, kRomeo, kJuliet));  // RFC 8048 §5.3.3
  auto out = sb.take();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].kind, "cancel");
  EXPECT_EQ(out[0].side, Protocol::xmpp);
  EXPECT_EQ(sb.subscriptions.size(), 0u);
}

TEST(SubscriptionMachine, EmailForFederationMapsAndDropsOldNativeAddress) {
  auto rows = base_rows();
  rows.settings.email_for_federation = true;
  rows.local_domains.push_back({"mail.example", Protocol::xmpp});
  rows.users = {{"juliet@corp.example", "j.capulet@mail.example", "", true}};
  FakeSwitchboard sb{rows};
  sb.subscription(req(SubscriptionAction::subscribe, kRomeo, addr("j.capulet@mail.example")));
  auto out = sb.take();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].to, kJuliet);  // the home is asked about its native user
  sb.subscription(req(SubscriptionAction::approve, kJuliet, kRomeo));
  out = sb.take();
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].from, addr("j.capulet@mail.example"));  // the partner sees the email
  sb.subscription(req(SubscriptionAction::subscribe, addr("x@partner-lync.example"), kJuliet));
  EXPECT_TRUE(sb.take().empty());
  EXPECT_EQ(sb.drops, std::vector<std::string>{"old_native_address"});
}

TEST(SubscriptionMachine, StaleLyncDocumentIsNeitherCachedNorSent) {
  FakeSwitchboard sb{base_rows()};
  sb.subscription(req(SubscriptionAction::subscribe, kJuliet, kRomeo));
  sb.sip_state(sip(SubscriptionState::active));
  sb.take();
  Presence newer{kRomeo, Availability::busy, "Presenting"};
  newer.publish_time = WallTime{std::chrono::seconds{2000}};
  Presence older{kRomeo, Availability::available, "Old"};
  older.publish_time = WallTime{std::chrono::seconds{1000}};
  auto fx = sb.subscriptions.on_presence_document(newer, sb.policy());
  EXPECT_EQ(fx.effects.size(), 2u);  // SavePresence + SendPresence to juliet
  EXPECT_TRUE(sb.subscriptions.on_presence_document(older, sb.policy()).effects.empty());
  EXPECT_EQ(sb.subscriptions.cached(kRomeo)->status_text, "Presenting");
}

TEST(SubscriptionMachine, RestartRestoresAndPresenceFlowsAtOnce) {
  FakeSwitchboard before{base_rows()};
  before.subscription(req(SubscriptionAction::subscribe, kJuliet, kRomeo));
  before.sip_state(sip(SubscriptionState::active));
  before.subscription(req(SubscriptionAction::subscribe, kRomeo, kJuliet));
  before.subscription(req(SubscriptionAction::approve, kJuliet, kRomeo));
  FakeSwitchboard after{base_rows()};  // a new node process, same store
  auto fx = after.subscriptions.restore(before.subscription_store.load_all().value(),
                                        before.presence_store.load_all().value(), after.policy(),
                                        after.wall_now);
  ASSERT_EQ(fx.effects.size(), 2u);
  auto& refresh = std::get<RefreshSubscription>(fx.effects[0]);  // re-SUBSCRIBE now
  EXPECT_EQ(refresh.subscription.sip_dialog, "dialog-a");
  EXPECT_EQ(std::get<SendSubscription>(fx.effects[1]).request.action, SubscriptionAction::probe);
  after.presence(kRomeo, Availability::busy);  // no new subscribe needed
  after.presence(kJuliet, Availability::away);
  auto out = after.take();
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].to, kJuliet);
  EXPECT_EQ(out[1].to, kRomeo);
}

TEST(SubscriptionMachine, PolicyChangeTurnsALiveSubscriptionIntoAPoliteBlock) {
  FakeSwitchboard sb{base_rows()};
  sb.subscription(req(SubscriptionAction::subscribe, kBob, kJuliet));
  sb.subscription(req(SubscriptionAction::approve, kJuliet, kBob));
  sb.take();
  auto rows = base_rows();
  rows.user_policies = {rule("juliet@corp.example", "xmpp-partner.example", RuleAction::block)};
  sb.set_policy(rows);
  sb.presence(kJuliet, Availability::chat, "Free to talk");
  auto out = sb.take();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].availability, Availability::offline);
  EXPECT_EQ(out[0].detail, "");
  EXPECT_EQ(sb.subscriptions.find(kBob, kJuliet)->state, SubscriptionState::polite_block);
  sb.presence(kJuliet, Availability::available);
  EXPECT_TRUE(sb.take().empty());
}

// Issue 6 step 6: a partner domain taken off the federated list (SQL, while running) stops
// getting anything, in both directions, without the subscription being touched.
TEST(SubscriptionMachine, DomainRemovedFromPolicyStopsPresenceBothWays) {
  FakeSwitchboard sb{base_rows()};
  sb.subscription(req(SubscriptionAction::subscribe, kBob, kJuliet));
  sb.subscription(req(SubscriptionAction::approve, kJuliet, kBob));
  sb.subscription(req(SubscriptionAction::subscribe, kJuliet, kBob));
  sb.subscription(req(SubscriptionAction::approve, kBob, kJuliet));
  sb.take();
  auto rows = base_rows();
  rows.xmpp_exceptions.erase(rows.xmpp_exceptions.begin());  // xmpp-partner.example
  sb.set_policy(rows);
  sb.presence(kJuliet, Availability::available, "here");
  EXPECT_TRUE(sb.take().empty());
  sb.presence(kBob, Availability::away, "gone");
  EXPECT_TRUE(sb.take().empty());
  sb.set_policy(base_rows());  // allowed again: presence flows again, subscriptions intact
  sb.presence(kBob, Availability::available, "back");
  ASSERT_EQ(sb.take().size(), 1u);
}

// A local user whose federation flag is cleared stops sending and receiving presence.
TEST(SubscriptionMachine, UserWithFederationDisabledGetsAndGivesNothing) {
  FakeSwitchboard sb{base_rows()};
  sb.subscription(req(SubscriptionAction::subscribe, kJuliet, kBob));
  sb.subscription(req(SubscriptionAction::approve, kBob, kJuliet));
  sb.take();
  auto rows = base_rows();
  rows.users = {{"juliet@corp.example", "", "", false}};
  sb.set_policy(rows);
  sb.presence(kBob, Availability::available, "hi");
  EXPECT_TRUE(sb.take().empty());
}

}  // namespace
}  // namespace fedgate::presence
