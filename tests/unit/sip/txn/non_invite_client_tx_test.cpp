// RFC 3261 §17.1.2 non-INVITE client transaction: Timers E, F, K on TLS and UDP.
#include "sip/txn/non_invite_client_tx.hpp"

#include <gtest/gtest.h>

#include "fake_clock.hpp"

namespace fedgate::sip {
namespace {

using test::FakeClock;
using test::make_request;
using test::make_response;

Request make_message(std::string_view user) { return make_request(Method::message, user); }

TEST(NonInviteClientTx, TimerFEndsTheTransactionOnTls) {
  FakeClock clock;
  NonInviteClientTx tx{make_message("alice@partner.example"), /*reliable_transport=*/true};
  auto first = tx.start(clock.now());
  ASSERT_TRUE(first.send);
  EXPECT_EQ(first.wake_at, clock.now() + 64 * kT1);  // no Timer E on a reliable transport
  clock.advance(64 * kT1);
  EXPECT_EQ(tx.on_wake(clock.now()).done, TxOutcome::timeout);
  EXPECT_EQ(tx.state(), TxState::terminated);
}

TEST(NonInviteClientTx, TimerEDoublesUpToT2InTryingOnUdp) {
  FakeClock clock;
  const TimePoint t0 = clock.now();
  NonInviteClientTx tx{make_message("bob@partner.example"), false};
  EXPECT_EQ(tx.start(t0).wake_at, t0 + kT1);
  // Retransmissions at 0.5, 1.5, 3.5, 7.5, 11.5 s: intervals 1, 2, 4 (= T2), then T2.
  const int fire_ms[] = {500, 1500, 3500, 7500, 11500};
  const int next_ms[] = {1500, 3500, 7500, 11500, 15500};
  for (int i = 0; i < 5; ++i) {
    clock.t = t0 + milliseconds(fire_ms[i]);
    auto a = tx.on_wake(clock.now());
    EXPECT_EQ(a.send, tx.request());
    EXPECT_EQ(a.wake_at, t0 + milliseconds(next_ms[i]));
  }
  EXPECT_EQ(tx.state(), TxState::trying);
}

TEST(NonInviteClientTx, EarlyWakeDoesNothing) {
  FakeClock clock;
  NonInviteClientTx tx{make_message("bob@partner.example"), false};
  tx.start(clock.now());
  clock.advance(kT1 - milliseconds(1));
  auto a = tx.on_wake(clock.now());
  EXPECT_FALSE(a.send);
  EXPECT_FALSE(a.done);
  EXPECT_EQ(a.wake_at, clock.now() + milliseconds(1));
}

TEST(NonInviteClientTx, TimerEIsT2InProceedingOnUdp) {
  FakeClock clock;
  NonInviteClientTx tx{make_message("bob@partner.example"), false};
  tx.start(clock.now());
  auto provisional = make_response(tx.request(), 180);
  auto p = tx.on_response(provisional, clock.now());
  EXPECT_EQ(p.to_tu, provisional);
  EXPECT_EQ(tx.state(), TxState::proceeding);
  clock.advance(kT1);
  auto a = tx.on_wake(clock.now());
  EXPECT_EQ(a.send, tx.request());
  EXPECT_EQ(a.wake_at, clock.now() + kT2);
}

TEST(NonInviteClientTx, TimerFFiresInProceedingOnUdp) {
  FakeClock clock;
  const TimePoint t0 = clock.now();
  NonInviteClientTx tx{make_message("bob@partner.example"), false};
  tx.start(t0);
  tx.on_response(make_response(tx.request(), 100), t0);
  int sends = 0;
  std::optional<TxOutcome> done;
  for (int i = 0; i < 100 && !done; ++i) {  // follow wake_at until the transaction ends
    auto a = tx.on_wake(clock.now());
    sends += a.send ? 1 : 0;
    done = a.done;
    if (a.wake_at) {
      clock.t = *a.wake_at;
    }
  }
  EXPECT_EQ(done, TxOutcome::timeout);
  EXPECT_EQ(sends, 8);  // at 0.5 s, then every T2 up to 28.5 s
  EXPECT_EQ(clock.now(), t0 + kTimerF);
}

// On TLS start() hands the request to the transport (the transaction need not keep it).
TEST(NonInviteClientTx, OnTlsTheRequestIsSentOnceAndNeverAgain) {
  FakeClock clock;
  const Request message = make_message("bob@partner.example");
  NonInviteClientTx tx{message, true};
  EXPECT_EQ(tx.start(clock.now()).send, message);
  clock.advance(64 * kT1 - milliseconds(1));
  EXPECT_FALSE(tx.on_wake(clock.now()).send);
}

TEST(NonInviteClientTx, FinalOnTlsEndsAtOnce) {
  FakeClock clock;
  const Request message = make_message("bob@partner.example");
  NonInviteClientTx tx{message, true};
  tx.start(clock.now());
  auto ok = make_response(message, 200);
  auto a = tx.on_response(ok, clock.now());
  EXPECT_EQ(a.to_tu, ok);
  EXPECT_EQ(a.done, TxOutcome::final_response);
  EXPECT_FALSE(a.wake_at);
  EXPECT_EQ(tx.state(), TxState::terminated);
}

TEST(NonInviteClientTx, TimerKAbsorbsRetransmittedFinalsOnUdp) {
  FakeClock clock;
  NonInviteClientTx tx{make_message("bob@partner.example"), false};
  tx.start(clock.now());
  auto ok = make_response(tx.request(), 200);
  auto a = tx.on_response(ok, clock.now());
  EXPECT_EQ(a.to_tu, ok);
  EXPECT_EQ(a.wake_at, clock.now() + kT4);  // Timer K only; E and F are cancelled
  EXPECT_EQ(tx.state(), TxState::completed);
  clock.advance(seconds(1));
  EXPECT_EQ(tx.on_response(ok, clock.now()), (ClientTxActions{{}, {}, a.wake_at, {}}));
  clock.advance(seconds(4));
  EXPECT_EQ(tx.on_wake(clock.now()), (ClientTxActions{{}, {}, {}, TxOutcome::final_response}));
  EXPECT_EQ(tx.state(), TxState::terminated);
}

TEST(NonInviteClientTx, TransportErrorEndsTheTransaction) {
  FakeClock clock;
  NonInviteClientTx tx{make_message("bob@partner.example"), true};
  tx.start(clock.now());
  EXPECT_EQ(tx.on_transport_error(clock.now()),
            (ClientTxActions{{}, {}, {}, TxOutcome::transport_error}));
  EXPECT_EQ(tx.state(), TxState::terminated);
  EXPECT_EQ(tx.on_transport_error(clock.now()), ClientTxActions{});  // reported once
}

}  // namespace
}  // namespace fedgate::sip
