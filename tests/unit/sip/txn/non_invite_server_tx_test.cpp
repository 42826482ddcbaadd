// RFC 3261 §17.2.2 non-INVITE server transaction: retransmission absorption and Timer J.
#include "sip/txn/non_invite_server_tx.hpp"

#include <gtest/gtest.h>

#include "fake_clock.hpp"
#include "sip/txn/tx_error.hpp"

namespace fedgate::sip {
namespace {

using test::FakeClock;
using test::make_request;
using test::make_response;

Request make_subscribe() { return make_request(Method::subscribe, "bob@corp.example"); }

TEST(NonInviteServerTx, RetransmissionInTryingIsAbsorbed) {
  FakeClock clock;
  NonInviteServerTx tx{make_subscribe(), false};
  EXPECT_EQ(tx.state(), TxState::trying);
  EXPECT_EQ(tx.on_request(tx.request(), clock.now()), ServerTxActions{});
  EXPECT_EQ(tx.state(), TxState::trying);
}

TEST(NonInviteServerTx, ProvisionalIsResentOnRetransmission) {
  FakeClock clock;
  NonInviteServerTx tx{make_subscribe(), false};
  auto trying = make_response(tx.request(), 100);
  EXPECT_EQ(tx.on_tu_response(trying, clock.now()).value(), (ServerTxActions{trying, {}, {}}));
  EXPECT_EQ(tx.state(), TxState::proceeding);
  EXPECT_EQ(tx.on_request(tx.request(), clock.now()), (ServerTxActions{trying, {}, {}}));
}

TEST(NonInviteServerTx, TimerJKeepsTheFinalResponseOnUdp) {
  FakeClock clock;
  NonInviteServerTx tx{make_subscribe(), false};
  auto ok = make_response(tx.request(), 200);
  auto a = tx.on_tu_response(ok, clock.now()).value();
  EXPECT_EQ(a, (ServerTxActions{ok, clock.now() + 64 * kT1, {}}));
  EXPECT_EQ(tx.state(), TxState::completed);
  clock.advance(seconds(10));
  EXPECT_EQ(tx.on_request(tx.request(), clock.now()), (ServerTxActions{ok, a.wake_at, {}}));
  clock.t = *a.wake_at;
  EXPECT_EQ(tx.on_wake(clock.now()), (ServerTxActions{{}, {}, TxOutcome::final_response}));
  EXPECT_EQ(tx.state(), TxState::terminated);
}

TEST(NonInviteServerTx, TimerJIsZeroOnTls) {
  FakeClock clock;
  NonInviteServerTx tx{make_subscribe(), true};
  auto ok = make_response(tx.request(), 202);
  EXPECT_EQ(tx.on_tu_response(ok, clock.now()).value(),
            (ServerTxActions{ok, {}, TxOutcome::final_response}));
  EXPECT_EQ(tx.state(), TxState::terminated);
}

TEST(NonInviteServerTx, SecondFinalFromTheTuIsRefused) {
  FakeClock clock;
  NonInviteServerTx tx{make_subscribe(), false};
  ASSERT_TRUE(tx.on_tu_response(make_response(tx.request(), 200), clock.now()));
  auto again = tx.on_tu_response(make_response(tx.request(), 404), clock.now());
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error(), make_error_code(TxErrc::final_response_sent));
  auto bad = NonInviteServerTx{make_subscribe(), false}.on_tu_response(
      make_response(tx.request(), 99), clock.now());
  EXPECT_EQ(bad.error(), make_error_code(TxErrc::bad_status));
}

TEST(NonInviteServerTx, TransportErrorInCompleted) {
  FakeClock clock;
  NonInviteServerTx tx{make_subscribe(), false};
  ASSERT_TRUE(tx.on_tu_response(make_response(tx.request(), 200), clock.now()));
  EXPECT_EQ(tx.on_transport_error(clock.now()),
            (ServerTxActions{{}, {}, TxOutcome::transport_error}));
  EXPECT_EQ(tx.state(), TxState::terminated);
}

}  // namespace
}  // namespace fedgate::sip
