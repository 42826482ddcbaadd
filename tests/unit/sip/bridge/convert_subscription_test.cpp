// SUBSCRIBE / NOTIFY ↔ neutral subscriptions: RFC 8048 §5 figures and a Lync batched
// category SUBSCRIBE written from MS-PRES §2.2.2.4.1.
#include "sip/bridge/convert_subscription.hpp"

#include <gtest/gtest.h>

#include "corpus.hpp"
#include "sip/bridge/convert_errc.hpp"

namespace fedgate::sip {
namespace {

using presence::SubscriptionAction;
using Neutral = presence::SubscriptionState;

presence::Address addr(std::string_view text) { return presence::Address::parse(text).value(); }

std::string batch_subscribe(std::string_view action) {
  return "SUBSCRIBE sip:alice@corp.example SIP/2.0\nVia: SIP/2.0/TLS "
         "192.0.2.10:5061;branch=z9hG4bK1"
         "\nFrom: <sip:bob@contoso.com>;tag=5a7e;epid=62ccbeb808\nTo: <sip:bob@contoso.com>"
         "\nCall-ID: b4tch\nCSeq: 1 SUBSCRIBE\nContact: <sip:bob@contoso.com;gruu>"
         "\nEvent: presence\nRequire: adhoclist, categoryList\nSupported: eventlist"
         "\nContent-Type: application/msrtc-adrl-categorylist+xml\n\n"
         "<batchSub xmlns=\"http://schemas.microsoft.com/2006/01/sip/batch-subscribe\" "
         "uri=\"sip:bob@contoso.com\" name=\"\"><action name=\"" +
         std::string(action) +
         "\" id=\"9\"><adhocList><resource uri=\"sip:alice@corp.example\"/><resource "
         "uri=\"sip:carol@corp.example\"/><resource uri=\"sip:192.0.2.1\"/></adhocList>"
         "<categoryList xmlns=\"http://schemas.microsoft.com/2006/09/sip/categorylist\">"
         "<category name=\"state\"/><category name=\"note\"/></categoryList></action></batchSub>";
}

TEST(SubscriptionFromSubscribe, Rfc8048InitialSubscribeIsASubscribe) {
  auto r =
      subscription_from_subscribe(test::rfc_request("rfc8048/5.3.1-02-auth-sip-establish.txt"));
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->action, SubscriptionAction::subscribe);
  EXPECT_EQ(r->from, addr("romeo@example.net"));
  EXPECT_EQ(r->to, addr("juliet@example.net"));
  EXPECT_EQ(r->id, "AA5A8BE5-CBB7-42B9-8181-6230012B1E11");
}

TEST(SubscriptionFromSubscribe, ExpiresZeroCancelsInDialogAndFetchesOtherwise) {
  Request r = test::rfc_request("rfc8048/5.3.3-01-auth-sip-cancel.txt");
  EXPECT_EQ(subscription_from_subscribe(r)->action, SubscriptionAction::cancel);
  r.to.params.clear();
  EXPECT_EQ(subscription_from_subscribe(r)->action, SubscriptionAction::probe);
}

TEST(SubscriptionFromSubscribe, OtherEventPackagesAreBadEvents) {
  Request r = test::rfc_request("rfc8048/5.3.1-02-auth-sip-establish.txt");
  r.event->package = "presence.winfo";
  EXPECT_EQ(subscription_from_subscribe(r).error(), make_error_code(ConvertErrc::bad_event));
  EXPECT_EQ(status_for(ConvertErrc::bad_event), 489);
}

TEST(SubscriptionsFromBatch, OneRequestPerAddressableResource) {
  const Request r = test::request_from(batch_subscribe("subscribe"));
  ASSERT_TRUE(is_batch_subscribe(r));
  auto list = subscriptions_from_batch(r);
  ASSERT_TRUE(list) << list.error().message();
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0],
            (presence::SubscriptionRequest{SubscriptionAction::subscribe, addr("bob@contoso.com"),
                                           addr("alice@corp.example"), "b4tch"}));
  EXPECT_EQ((*list)[1].to, addr("carol@corp.example"));
}

TEST(SubscriptionsFromBatch, UnsubscribeActionCancelsAndPlainSubscribeIsNoBatch) {
  auto list = subscriptions_from_batch(test::request_from(batch_subscribe("unsubscribe")));
  ASSERT_TRUE(list);
  EXPECT_EQ(list->at(0).action, SubscriptionAction::cancel);
  const Request single = test::rfc_request("rfc8048/5.3.1-02-auth-sip-establish.txt");
  EXPECT_FALSE(is_batch_subscribe(single));
  EXPECT_EQ(subscriptions_from_batch(single).error(),
            make_error_code(ConvertErrc::unsupported_media_type));
}

TEST(SubscriptionStatus, Rfc8048ActiveNotifyApproves) {
  auto s = subscription_status_from_notify(
      test::rfc_request("rfc8048/5.2.1-05-auth-xmpp-establish.txt"));
  ASSERT_TRUE(s) << s.error().message();
  EXPECT_EQ(s->state, Neutral::active);
  EXPECT_EQ(s->expires, 499u);
  EXPECT_EQ(s->presentity, addr("juliet@example.com"));
  const presence::WallTime now{std::chrono::hours(1000)};
  EXPECT_EQ(expires_at(*s, now), now + std::chrono::seconds(499));
  auto r = request_from_status(*s, "id1");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->action, SubscriptionAction::approve);
  EXPECT_EQ(r->from, addr("juliet@example.com"));
  EXPECT_EQ(r->to, addr("romeo@example.net"));
}

TEST(SubscriptionStatus, Rfc8048TerminatedNotifyDenies) {
  auto s =
      subscription_status_from_notify(test::rfc_request("rfc8048/5.2.3-05-auth-xmpp-cancel.txt"));
  ASSERT_TRUE(s);
  EXPECT_EQ(s->state, Neutral::terminated);
  EXPECT_EQ(request_from_status(*s, "x")->action, SubscriptionAction::deny);
}

TEST(SubscriptionStatus, RetryableTerminationsAndPendingAskNothing) {
  SipSubscriptionStatus s{addr("a@x.example"), addr("b@y.example"), Neutral::terminated,
                          "timeout",           std::nullopt,        std::nullopt};
  EXPECT_FALSE(request_from_status(s, "x"));
  s.reason = "deactivated";
  EXPECT_FALSE(request_from_status(s, "x"));
  s.reason = "rejected";
  EXPECT_TRUE(request_from_status(s, "x"));
  s.state = Neutral::pending;
  EXPECT_FALSE(request_from_status(s, "x"));
}

constexpr std::string_view kPiggybacked =
    "SIP/2.0 200 OK\nVia: SIP/2.0/TLS gw.corp.example:5061;branch=z9hG4bK1"
    "\nFrom: <sip:alice@corp.example>;tag=3c1d;epid=01010101\nTo: <sip:bob@contoso.com>;tag=n77"
    "\nCall-ID: s1\nCSeq: 1 SUBSCRIBE\nContact: <sip:bob@192.0.2.10:5061;transport=tls>"
    "\nExpires: 1800\nEvent: presence\nSubscription-State: active;expires=1700"
    "\nms-piggyback-cseq: 1\n\n";

TEST(SubscriptionStatusFromResponse, LyncPiggybackedTwoHundredIsActive) {
  auto s = subscription_status_from_response(test::response_from(kPiggybacked));
  ASSERT_TRUE(s) << s.error().message();
  EXPECT_EQ(s->watcher, addr("alice@corp.example"));
  EXPECT_EQ(s->presentity, addr("bob@contoso.com"));
  EXPECT_EQ(s->state, Neutral::active);
  EXPECT_EQ(s->expires, 1700u);
  EXPECT_EQ(request_from_status(*s, "s1")->action, SubscriptionAction::approve);
}

TEST(SubscriptionStatusFromResponse, PlainTwoHundredIsPendingAndFailuresTerminate) {
  Response r = test::response_from(kPiggybacked);
  r.subscription_state.reset();
  EXPECT_EQ(subscription_status_from_response(r)->state, Neutral::pending);
  EXPECT_EQ(subscription_status_from_response(r)->expires, 1800u);
  r.status = 403;
  auto refused = subscription_status_from_response(r).value();
  EXPECT_EQ(refused.state, Neutral::terminated);
  EXPECT_EQ(refused.reason, "rejected");
  EXPECT_EQ(request_from_status(refused, "s1")->action, SubscriptionAction::deny);
  r.status = 503;
  EXPECT_FALSE(request_from_status(subscription_status_from_response(r).value(), "s1"));
}

TEST(SubscriptionStateFor, PoliteBlockLooksActiveToTheWatcher) {
  EXPECT_EQ(sub_state_for(Neutral::polite_block), SubState::active);
  auto ss = subscription_state_for(Neutral::polite_block, 3600);
  EXPECT_EQ(ss.state, "active");
  EXPECT_EQ(ss.expires(), 3600u);
  auto ended = subscription_state_for(Neutral::terminated, 0, "noresource");
  EXPECT_EQ(ended.state, "terminated");
  EXPECT_EQ(ended.reason(), "noresource");
  EXPECT_FALSE(ended.expires());
}

}  // namespace
}  // namespace fedgate::sip
