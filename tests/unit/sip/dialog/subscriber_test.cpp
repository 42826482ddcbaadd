// RFC 6665 subscriber: the Lync-style SUBSCRIBE, the piggy-backed first NOTIFY, refresh before
// expiry, NOTIFY/BENOTIFY handling and the §4.1.3 retry rules, against byte-exact transcripts.
#include "sip/dialog/subscriber.hpp"

#include <gtest/gtest.h>

#include "sip/codec/error_response.hpp"
#include "sip/codec/serializer.hpp"
#include "transcript.hpp"

namespace fedgate::sip {
namespace {

using test::branches;
using test::transcript;

const std::vector<std::string> kNotifyBranch = {"z9hG4bKnfy1"};

// A subscriber whose SUBSCRIBE got the piggy-backed 200 at time zero.
Subscriber subscribed(BranchGenerator& gen, SubscriberActions* first = nullptr) {
  Subscriber s{test::alice_watches_bob()};
  s.start(gen);
  auto a = s.on_response(test::response("sub_200_piggyback.sip", branches(1)), TimePoint{});
  if (first != nullptr) {
    *first = a;
  }
  return s;
}

TEST(Subscriber, StartSendsTheLyncSubscribe) {
  BranchGenerator gen{test::kSeed};
  Subscriber s{test::alice_watches_bob()};
  EXPECT_EQ(serialize(s.start(gen)), transcript("sub_subscribe.sip", branches(1)));
  EXPECT_FALSE(s.has_dialog());
}

TEST(Subscriber, PiggyBackedTwoHundredIsTheFirstNotification) {
  BranchGenerator gen{test::kSeed};
  SubscriberActions a;
  auto s = subscribed(gen, &a);
  ASSERT_TRUE(a.notification);
  EXPECT_EQ(a.notification->state, SubState::active);
  EXPECT_EQ(a.notification->body.bytes, test::body_of("sub_200_piggyback.sip"));
  EXPECT_TRUE(a.notification->body.type.is("application/pidf+xml"));
  EXPECT_EQ(a.wake_at, TimePoint{} + seconds(1620));  // granted 1800 s, refreshed at 90 %
  EXPECT_EQ(s.dialog().remote_cseq(), 1u);            // ms-piggyback-cseq
}

TEST(Subscriber, RefreshesInTheDialogBeforeExpiry) {
  BranchGenerator gen{test::kSeed};
  auto s = subscribed(gen);
  EXPECT_FALSE(s.on_wake(TimePoint{} + seconds(1619), gen));
  auto refresh = s.on_wake(TimePoint{} + seconds(1620), gen);
  ASSERT_TRUE(refresh);
  EXPECT_EQ(serialize(*refresh), transcript("sub_refresh.sip", branches(2)));
  auto ok = make_error_response(*refresh, 200, "OK");
  ok.expires = 1800;
  auto a = s.on_response(ok, TimePoint{} + seconds(1621));
  EXPECT_EQ(a.wake_at, TimePoint{} + seconds(1621 + 1620));
}

TEST(Subscriber, NotifyIsAnsweredAndShortensTheSubscription) {
  BranchGenerator gen{test::kSeed};
  auto s = subscribed(gen);
  auto a = s.on_notify(test::request("sub_notify.sip", kNotifyBranch), TimePoint{} + seconds(100));
  ASSERT_TRUE(a.respond);
  EXPECT_EQ(serialize(*a.respond), transcript("sub_notify_200.sip", kNotifyBranch));
  ASSERT_TRUE(a.notification);
  EXPECT_EQ(a.notification->body.bytes, test::body_of("sub_notify.sip"));
  EXPECT_EQ(s.expires_at(), TimePoint{} + seconds(1600));  // expires=1500 at t=100
  EXPECT_EQ(a.wake_at, TimePoint{} + seconds(1450));
}

TEST(Subscriber, NotifyAtOrBelowThePiggyBackCSeqIs500) {
  BranchGenerator gen{test::kSeed};
  auto s = subscribed(gen);
  auto notify = test::request("sub_notify.sip", kNotifyBranch);
  notify.cseq.sequence = 1;
  auto a = s.on_notify(notify, TimePoint{});
  EXPECT_EQ(a.respond->status, 500);
  EXPECT_FALSE(a.notification);
}

TEST(Subscriber, BenotifyIsDeliveredWithoutResponse) {
  BranchGenerator gen{test::kSeed};
  auto s = subscribed(gen);
  auto benotify = test::request("sub_notify.sip", kNotifyBranch);
  benotify.method = Method::benotify;
  benotify.cseq = CSeq{2, Method::benotify, {}};
  auto a = s.on_notify(benotify, TimePoint{});
  EXPECT_FALSE(a.respond);
  ASSERT_TRUE(a.notification);
  EXPECT_EQ(a.notification->body.bytes, test::body_of("sub_notify.sip"));
}

TEST(Subscriber, RetryRulesOfRfc6665Section413) {
  auto delay = [](std::string text) {
    SubscriptionState ss{"terminated", {}};
    for (auto pos = text.find(';'); !text.empty(); pos = text.find(';')) {
      auto item = text.substr(0, pos);
      auto eq = item.find('=');
      set_param(ss.params, item.substr(0, eq), item.substr(eq + 1));
      text = pos == std::string::npos ? "" : text.substr(pos + 1);
    }
    return retry_delay(ss);
  };
  EXPECT_EQ(delay("reason=deactivated"), Duration::zero());
  EXPECT_EQ(delay("reason=timeout"), Duration::zero());
  EXPECT_EQ(delay("reason=probation;retry-after=30"), seconds(30));
  EXPECT_EQ(delay("reason=giveup"), seconds(60));
  EXPECT_EQ(delay("reason=rejected"), std::nullopt);
  EXPECT_EQ(delay("reason=noresource"), std::nullopt);
  EXPECT_EQ(delay("reason=invariant"), std::nullopt);
}

TEST(Subscriber, TerminatedNotifyEndsWithRetry) {
  BranchGenerator gen{test::kSeed};
  auto s = subscribed(gen);
  auto a = s.on_notify(test::request("sub_notify_terminated.sip", kNotifyBranch), TimePoint{});
  EXPECT_EQ(a.respond->status, 200);
  EXPECT_EQ(a.ended, (SubscriptionEnd{0, "timeout", Duration::zero()}));
  EXPECT_EQ(s.state(), SubState::terminated);
}

TEST(Subscriber, FourEightyOneToRefreshEndsAndResubscribesNow) {
  BranchGenerator gen{test::kSeed};
  auto s = subscribed(gen);
  auto refresh = s.on_wake(TimePoint{} + seconds(1620), gen);
  auto a = s.on_response(make_error_response(*refresh, 481, "Gone"), TimePoint{} + seconds(1621));
  EXPECT_EQ(a.ended, (SubscriptionEnd{481, "refused", Duration::zero()}));
}

TEST(Subscriber, FailedRefreshKeepsTheSubscriptionUntilExpiry) {
  BranchGenerator gen{test::kSeed};
  auto s = subscribed(gen);
  auto refresh = s.on_wake(TimePoint{} + seconds(1620), gen);
  auto a = s.on_response(make_error_response(*refresh, 500, "Busy"), TimePoint{} + seconds(1621));
  EXPECT_FALSE(a.ended);
  EXPECT_EQ(a.wake_at, TimePoint{} + seconds(1800));
  SubscriberActions expired;
  EXPECT_FALSE(s.on_wake(TimePoint{} + seconds(1800), gen, &expired));
  EXPECT_EQ(expired.ended, (SubscriptionEnd{0, "timeout", Duration::zero()}));
}

TEST(Subscriber, UnsubscribeIsExpiresZeroInTheDialog) {
  BranchGenerator gen{test::kSeed};
  auto s = subscribed(gen);
  auto unsub = s.unsubscribe(gen);
  auto expected = test::request("sub_refresh.sip", branches(2));
  expected.expires = 0;
  EXPECT_EQ(unsub, expected);
  auto ok = make_error_response(unsub, 200, "OK");
  ok.expires = 0;
  EXPECT_FALSE(s.on_response(ok, TimePoint{} + seconds(2)).wake_at);
  EXPECT_FALSE(s.on_wake(TimePoint{} + seconds(1620), gen));  // no refresh after it
  auto a = s.on_notify(test::request("sub_notify_terminated.sip", kNotifyBranch), {});
  EXPECT_EQ(a.respond->status, 200);
  EXPECT_TRUE(a.ended);
}

TEST(Subscriber, NotifyForAnotherSubscriptionIs481) {
  BranchGenerator gen{test::kSeed};
  Subscriber s{test::alice_watches_bob()};
  s.start(gen);
  auto notify = test::request("sub_notify.sip", kNotifyBranch);
  notify.call_id = "other@fedgate.corp.example";
  auto a = s.on_notify(notify, TimePoint{});
  EXPECT_EQ(a.respond->status, 481);
  EXPECT_FALSE(a.notification);
  EXPECT_FALSE(s.has_dialog());
}

TEST(Subscriber, NotifyOvertakingTheTwoHundredCreatesTheDialog) {
  BranchGenerator gen{test::kSeed};
  Subscriber s{test::alice_watches_bob()};
  s.start(gen);
  auto a = s.on_notify(test::request("sub_notify.sip", kNotifyBranch), TimePoint{});
  ASSERT_TRUE(a.respond);
  EXPECT_EQ(serialize(*a.respond), transcript("sub_notify_200.sip", kNotifyBranch));
  EXPECT_TRUE(a.notification);
  auto ok = test::response("sub_200_piggyback.sip", branches(1));
  ok.content_type.reset();
  ok.body.clear();
  auto b = s.on_response(ok, TimePoint{} + seconds(1));
  EXPECT_EQ(b.wake_at, TimePoint{} + seconds(1 + 1620));
  EXPECT_EQ(s.dialog().id(), (DialogId{"s1@fedgate.corp.example", "3c1d", "n77"}));
}

TEST(Subscriber, RefusedSubscribeRetriesOnlyWithRetryAfter) {
  BranchGenerator gen{test::kSeed};
  Subscriber s{test::alice_watches_bob()};
  auto sub = s.start(gen);
  EXPECT_EQ(s.on_response(make_error_response(sub, 403, "Forbidden", "x"), {}).ended,
            (SubscriptionEnd{403, "refused", std::nullopt}));
  Subscriber busy{test::alice_watches_bob()};
  auto unavailable = make_error_response(busy.start(gen), 503, "Unavailable", "x");
  unavailable.other.push_back({"Retry-After", "120"});
  EXPECT_EQ(busy.on_response(unavailable, {}).ended,
            (SubscriptionEnd{503, "refused", seconds(120)}));
}

}  // namespace
}  // namespace fedgate::sip
