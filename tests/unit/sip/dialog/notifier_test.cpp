// RFC 6665 notifier: 200 with Expires, piggy-backed first NOTIFY (MS-SIPRE), NOTIFY and
// BENOTIFY, refresh, un-SUBSCRIBE and expiry, against byte-exact transcripts.
#include "sip/dialog/notifier.hpp"

#include <gtest/gtest.h>

#include "sip/codec/serializer.hpp"
#include "transcript.hpp"

namespace fedgate::sip {
namespace {

using test::branches;
using test::transcript;

const std::vector<std::string> kSubBranch = {"z9hG4bKsub1"};
const std::vector<std::string> kRefreshBranches = {"z9hG4bKsub1", "z9hG4bKsub2"};

Request subscribe() { return test::request("sub_subscribe.sip", kSubBranch); }

Body pidf(std::string_view transcript_name) {
  return Body{MediaType::parse("application/pidf+xml").value(), test::body_of(transcript_name)};
}

Notifier make_notifier(const Request& sub, TimePoint now = {}) {
  return Notifier::create(sub, "n77", test::partner(), 1800, now).value();
}

TEST(Notifier, PiggyBacksTheFirstNotifyInTheTwoHundred) {
  auto sub = subscribe();
  auto n = make_notifier(sub);
  auto ok = n.accept(sub, SubState::active, pidf("sub_200_piggyback.sip"));
  EXPECT_EQ(serialize(ok), transcript("sub_200_piggyback.sip", kSubBranch));
  EXPECT_TRUE(n.piggybacked());
  EXPECT_EQ(n.expires_at(), TimePoint{} + seconds(1800));  // capped at max_expires
}

TEST(Notifier, NextNotifyFollowsThePiggyBackedCSeq) {
  BranchGenerator gen{test::kSeed};
  auto sub = subscribe();
  auto n = make_notifier(sub);
  n.accept(sub, SubState::active, pidf("sub_200_piggyback.sip"));
  auto notify = n.notify(SubState::active, pidf("sub_notify.sip"), gen, TimePoint{} + seconds(300));
  EXPECT_EQ(serialize(notify), transcript("sub_notify.sip", branches(1)));
}

TEST(Notifier, WithoutPiggyBackTheTwoHundredHasNoBody) {
  BranchGenerator gen{test::kSeed};
  auto sub = subscribe();
  sub.supported = {"ms-benotify"};
  auto n = make_notifier(sub);
  auto ok = n.accept(sub, SubState::pending, pidf("sub_200_piggyback.sip"));
  EXPECT_TRUE(ok.body.empty());
  EXPECT_FALSE(ok.subscription_state);
  EXPECT_EQ(ok.expires, 1800u);
  auto notify = n.notify(SubState::pending, std::nullopt, gen, TimePoint{});
  EXPECT_EQ(notify.cseq.sequence, 1u);
  EXPECT_EQ(notify.subscription_state->state, "pending");
  EXPECT_EQ(notify.subscription_state->expires(), 1800u);
}

TEST(Notifier, BestEffortIsBenotifyOnlyWhenOffered) {
  BranchGenerator gen{test::kSeed};
  auto sub = subscribe();
  auto n = make_notifier(sub);
  EXPECT_EQ(n.notify(SubState::active, std::nullopt, gen, {}, true).method, Method::benotify);
  sub.supported = {"ms-piggyback-first-notify"};
  auto plain = make_notifier(sub);
  EXPECT_EQ(plain.notify(SubState::active, std::nullopt, gen, {}, true).method, Method::notify);
}

TEST(Notifier, RefreshExtendsTheSubscription) {
  BranchGenerator gen{test::kSeed};
  auto sub = subscribe();
  auto n = make_notifier(sub);
  n.accept(sub, SubState::active, std::nullopt);
  const TimePoint later = TimePoint{} + seconds(1700);
  auto reply = n.on_subscribe(test::request("sub_refresh.sip", kRefreshBranches), gen, later);
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->response.status, 200);
  EXPECT_EQ(reply->response.expires, 1800u);
  EXPECT_FALSE(reply->notify);
  EXPECT_EQ(n.expires_at(), later + seconds(1800));
}

TEST(Notifier, UnsubscribeAnswersAndSendsTerminatedNotify) {
  BranchGenerator gen{test::kSeed};
  auto sub = subscribe();
  auto n = make_notifier(sub);
  n.accept(sub, SubState::active, pidf("sub_200_piggyback.sip"));
  auto unsub = test::request("sub_refresh.sip", kRefreshBranches);
  unsub.expires = 0;
  auto reply = n.on_subscribe(unsub, gen, TimePoint{} + seconds(60));
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->response.expires, 0u);
  ASSERT_TRUE(reply->notify);
  EXPECT_EQ(serialize(*reply->notify), transcript("sub_notify_terminated.sip", branches(1)));
  EXPECT_EQ(n.state(), SubState::terminated);
}

TEST(Notifier, ExpiryTerminatesWithReasonTimeout) {
  BranchGenerator gen{test::kSeed};
  auto sub = subscribe();
  auto n = make_notifier(sub);
  n.accept(sub, SubState::active, pidf("sub_200_piggyback.sip"));
  EXPECT_FALSE(n.on_wake(TimePoint{} + seconds(1799), gen));
  auto notify = n.on_wake(TimePoint{} + seconds(1800), gen);
  ASSERT_TRUE(notify);
  EXPECT_EQ(serialize(*notify), transcript("sub_notify_terminated.sip", branches(1)));
  EXPECT_FALSE(n.on_wake(TimePoint{} + seconds(1900), gen));  // only once
}

TEST(Notifier, SubscribeWithoutEventIs489) {
  auto sub = subscribe();
  sub.event.reset();
  auto n = Notifier::create(sub, "n77", test::partner(), 1800, {});
  ASSERT_FALSE(n);
  EXPECT_EQ(n.error(), DialogErrc::bad_event);
  EXPECT_EQ(status_for(DialogErrc::bad_event), 489);
}

TEST(Notifier, StaleRefreshIs500AndForeignDialogIs481) {
  BranchGenerator gen{test::kSeed};
  auto sub = subscribe();
  auto n = make_notifier(sub);
  n.accept(sub, SubState::active, std::nullopt);
  auto refresh = test::request("sub_refresh.sip", kRefreshBranches);
  refresh.cseq.sequence = 1;
  EXPECT_EQ(n.on_subscribe(refresh, gen, {}).error(), DialogErrc::cseq_out_of_order);
  refresh.cseq.sequence = 5;
  set_param(refresh.to.params, "tag", std::string("other"));
  EXPECT_EQ(n.on_subscribe(refresh, gen, {}).error(), DialogErrc::unknown_dialog);
}

}  // namespace
}  // namespace fedgate::sip
