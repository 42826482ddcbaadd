// SipDialogBook: which agent dialog carries which bridged relation.
#include "gateway/app/sip_edge_book.hpp"

#include <gtest/gtest.h>

namespace fedgate::gateway {
namespace {

presence::Address addr(std::string_view text) { return presence::Address::parse(text).value(); }

Watching bob_watches_alice() { return {addr("bob@partner.test"), addr("alice@home.test")}; }

TEST(SipDialogBook, NotifierFoundByPairAndRemovedByDialog) {
  SipDialogBook book;
  sip::DialogId id{"c1", "ours", "theirs"};
  book.add_notifier(bob_watches_alice(), {id, true});
  ASSERT_NE(book.notifier(bob_watches_alice()), nullptr);
  EXPECT_TRUE(book.notifier(bob_watches_alice())->msrtc);
  EXPECT_EQ(book.remove_notifier(sip::DialogId{"c1", "ours", "other"}), std::nullopt);
  EXPECT_EQ(book.remove_notifier(id), bob_watches_alice());
  EXPECT_EQ(book.notifier(bob_watches_alice()), nullptr);
  EXPECT_EQ(book.notifiers(), 0u);
}

TEST(SipDialogBook, NotifiesQueueInTheRecordUntilItGoes) {
  SipDialogBook book;
  book.add_notifier(bob_watches_alice(), {{"c1", "a", "b"}, false});
  auto* n = book.notifier(bob_watches_alice());
  n->queue.push_back({sip::SubState::active, std::nullopt});
  n->queue.push_back({sip::SubState::terminated, std::nullopt});
  EXPECT_EQ(book.notifier(bob_watches_alice())->queue.size(), 2u);
  EXPECT_EQ(book.notifier(bob_watches_alice())->queue.back().state, sip::SubState::terminated);
  book.remove_notifier(bob_watches_alice());
  EXPECT_EQ(book.notifier(bob_watches_alice()), nullptr);
}

TEST(SipDialogBook, ANewNotifierForThePairReplacesTheOld) {
  SipDialogBook book;
  book.add_notifier(bob_watches_alice(), {{"c1", "a", "b"}, false});
  book.add_notifier(bob_watches_alice(), {{"c2", "a", "b"}, false});
  EXPECT_EQ(book.remove_notifier(sip::DialogId{"c1", "a", "b"}), std::nullopt);
  EXPECT_EQ(book.notifier(bob_watches_alice())->dialog.call_id, "c2");
}

TEST(SipDialogBook, BatchDialogCarriesEveryResourceAndEndsThemTogether) {
  SipDialogBook book;
  sip::DialogId id{"b1", "ours", "theirs"};
  Watching carol{addr("bob@partner.test"), addr("carol@home.test")};
  NotifierRecord r{id, true};
  r.batch = true;
  book.add_notifier(bob_watches_alice(), r);
  book.add_notifier(carol, r);
  book.add_batch(id, BatchRecord{"sip:bob@partner.test", true});
  ASSERT_NE(book.batch(id), nullptr);
  book.remove_notifier(carol);  // one resource terminated: the others stay in the dialog
  EXPECT_EQ(book.notifier(carol), nullptr);
  ASSERT_NE(book.notifier(bob_watches_alice()), nullptr);
  EXPECT_TRUE(book.notifier(bob_watches_alice())->batch);
  book.add_notifier(carol, r);
  auto gone = book.remove_notifiers(id);
  EXPECT_EQ(gone.size(), 2u);
  EXPECT_EQ(book.notifiers(), 0u);
  book.remove_batch(id);
  EXPECT_EQ(book.batch(id), nullptr);
}

TEST(SipDialogBook, SubscriberFoundByCallIdAndOurTagWhateverTheRemoteTag) {
  SipDialogBook book;
  book.add_subscriber(bob_watches_alice(), {"c1", "ours", ""});
  EXPECT_EQ(book.subscriber_of({"c1", "ours", "learnt-later"}), bob_watches_alice());
  book.add_subscriber(bob_watches_alice(), {"c1", "ours", "learnt-later"});  // idempotent
  EXPECT_EQ(book.subscribers(), 1u);
  EXPECT_EQ(book.remove_subscriber({"c1", "ours", ""}), bob_watches_alice());
  EXPECT_EQ(book.subscriber(bob_watches_alice()), nullptr);
}

TEST(SipDialogBook, AttemptsNameTheWatcherOfAnEarlyNotify) {
  SipDialogBook book;
  book.begin_subscribe(bob_watches_alice());
  EXPECT_TRUE(book.subscribing(bob_watches_alice()));
  EXPECT_EQ(book.attempt_for(addr("alice@home.test")), addr("bob@partner.test"));
  EXPECT_EQ(book.attempt_for(addr("carol@home.test")), std::nullopt);
  book.end_subscribe_attempt(bob_watches_alice());
  EXPECT_FALSE(book.subscribing(bob_watches_alice()));
}

TEST(SipDialogBook, PendingAnswerIsTakenOnce) {
  SipDialogBook book;
  EXPECT_EQ(book.pending(bob_watches_alice()), nullptr);
  book.open_answer(bob_watches_alice());
  book.pending(bob_watches_alice())->refusal = SipRefusal{403, "Forbidden"};
  auto taken = book.take_answer(bob_watches_alice());
  ASSERT_TRUE(taken && taken->refusal);
  EXPECT_EQ(taken->refusal->status, 403);
  EXPECT_FALSE(book.take_answer(bob_watches_alice()).has_value());
}

TEST(SipDialogBook, HeldPresenceIsPerBareEntity) {
  SipDialogBook book;
  presence::Presence p;
  p.entity = addr("alice@home.test");
  p.status_text = "here";
  book.hold(p);
  ASSERT_NE(book.held(addr("alice@home.test/desk")), nullptr);
  EXPECT_EQ(book.held(addr("alice@home.test"))->status_text, "here");
  book.forget_held(addr("alice@home.test"));
  EXPECT_EQ(book.held(addr("alice@home.test")), nullptr);
}

TEST(SipDialogBook, SessionsByCallIdAndOurTag) {
  SipDialogBook book;
  book.add_session({"c9", "ours", "theirs"}, {addr("bob@partner.test"), addr("alice@home.test"), true});
  auto s = book.session({"c9", "ours", ""});
  ASSERT_TRUE(s.has_value());
  EXPECT_TRUE(s->outgoing);
  EXPECT_EQ(s->sip_user, addr("bob@partner.test"));
  EXPECT_TRUE(book.remove_session({"c9", "ours", "theirs"}).has_value());
  EXPECT_EQ(book.sessions(), 0u);
}

}  // namespace
}  // namespace fedgate::gateway
