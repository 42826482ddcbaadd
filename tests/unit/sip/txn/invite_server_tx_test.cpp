// RFC 3261 §17.2.1 INVITE server transaction: 100 Trying, Timers G, H, I, ACK absorption.
#include "sip/txn/invite_server_tx.hpp"

#include <gtest/gtest.h>

#include "fake_clock.hpp"
#include "sip/codec/error_response.hpp"
#include "sip/txn/tx_error.hpp"

namespace fedgate::sip {
namespace {

using test::FakeClock;
using test::make_request;
using test::make_response;

Request make_invite() { return make_request(Method::invite, "bob@corp.example"); }
Request make_ack() { return make_request(Method::ack, "bob@corp.example"); }

TEST(InviteServerTx, StartSends100TryingAndRetransmissionsRepeatIt) {
  FakeClock clock;
  InviteServerTx tx{make_invite(), false};
  auto a = tx.start(clock.now());
  ASSERT_TRUE(a.send);
  EXPECT_EQ(a.send->status, 100);
  EXPECT_EQ(a.send->to.tag(), std::nullopt);
  EXPECT_EQ(a.send->via, tx.request().via);
  EXPECT_EQ(tx.state(), TxState::proceeding);
  EXPECT_EQ(tx.on_request(tx.request(), clock.now()), a);
}

TEST(InviteServerTx, TwoHundredFromTheTuEntersAcceptedUntilTimerL) {
  FakeClock clock;
  InviteServerTx tx{make_invite(), false};
  tx.start(clock.now());
  auto ok = make_response(tx.request(), 200);
  EXPECT_EQ(tx.on_tu_response(ok, clock.now()).value(),
            (ServerTxActions{ok, clock.now() + kTimerL, {}}));
  EXPECT_EQ(tx.state(), TxState::accepted);  // RFC 6026 §8.7
  clock.advance(kTimerL);
  EXPECT_EQ(tx.on_wake(clock.now()), (ServerTxActions{{}, {}, TxOutcome::final_response}));
  EXPECT_EQ(tx.state(), TxState::terminated);
}

TEST(InviteServerTx, AcceptedAbsorbsInviteRetransmissionsAndSendsFurther2xx) {
  FakeClock clock;
  InviteServerTx tx{make_invite(), true};
  tx.start(clock.now());
  auto ok = make_response(tx.request(), 200);
  ASSERT_TRUE(tx.on_tu_response(ok, clock.now()));
  EXPECT_EQ(tx.on_request(tx.request(), clock.now()).send, std::nullopt);
  EXPECT_EQ(tx.on_tu_response(ok, clock.now()).value().send, ok);  // the TU's retransmission
  EXPECT_EQ(tx.on_tu_response(make_response(tx.request(), 500), clock.now()).error(),
            make_error_code(TxErrc::final_response_sent));
}

TEST(InviteServerTx, TimerGRetransmitsTheFinalUpToT2OnUdp) {
  FakeClock clock;
  const TimePoint t0 = clock.now();
  InviteServerTx tx{make_invite(), false};
  tx.start(t0);
  auto busy = make_response(tx.request(), 486);
  EXPECT_EQ(tx.on_tu_response(busy, t0).value(), (ServerTxActions{busy, t0 + kT1, {}}));
  const int fire_ms[] = {500, 1500, 3500, 7500};
  const int next_ms[] = {1500, 3500, 7500, 11500};  // 1 s, 2 s, then T2
  for (int i = 0; i < 4; ++i) {
    clock.t = t0 + milliseconds(fire_ms[i]);
    EXPECT_EQ(tx.on_wake(clock.now()), (ServerTxActions{busy, t0 + milliseconds(next_ms[i]), {}}));
  }
  EXPECT_EQ(tx.state(), TxState::completed);
}

TEST(InviteServerTx, TimerHEndsWithoutAck) {
  for (bool reliable : {true, false}) {
    FakeClock clock;
    InviteServerTx tx{make_invite(), reliable};
    tx.start(clock.now());
    auto a = tx.on_tu_response(make_response(tx.request(), 404), clock.now()).value();
    EXPECT_EQ(a.wake_at, clock.now() + (reliable ? kTimerH : kT1));  // no Timer G on TLS
    clock.advance(kTimerH);
    EXPECT_EQ(tx.on_wake(clock.now()), (ServerTxActions{{}, {}, TxOutcome::timeout}));
    EXPECT_EQ(tx.state(), TxState::terminated);
  }
}

TEST(InviteServerTx, AckConfirmsAndTimerIAbsorbsAcksOnUdp) {
  FakeClock clock;
  InviteServerTx tx{make_invite(), false};
  tx.start(clock.now());
  auto busy = make_response(tx.request(), 486);
  ASSERT_TRUE(tx.on_tu_response(busy, clock.now()));
  clock.advance(seconds(1));
  EXPECT_EQ(tx.on_request(tx.request(), clock.now()).send, busy);  // INVITE retransmitted
  EXPECT_EQ(tx.on_request(make_ack(), clock.now()), (ServerTxActions{{}, clock.now() + kT4, {}}));
  EXPECT_EQ(tx.state(), TxState::confirmed);
  EXPECT_EQ(tx.on_request(make_ack(), clock.now()), (ServerTxActions{{}, clock.now() + kT4, {}}));
  EXPECT_EQ(tx.on_request(tx.request(), clock.now()).send, std::nullopt);
  clock.advance(kT4);
  EXPECT_EQ(tx.on_wake(clock.now()), (ServerTxActions{{}, {}, TxOutcome::final_response}));
}

TEST(InviteServerTx, AckOnTlsEndsAtOnce) {
  FakeClock clock;
  InviteServerTx tx{make_invite(), true};
  tx.start(clock.now());
  ASSERT_TRUE(tx.on_tu_response(make_response(tx.request(), 603), clock.now()));
  EXPECT_EQ(tx.on_request(make_ack(), clock.now()),
            (ServerTxActions{{}, {}, TxOutcome::final_response}));
  EXPECT_EQ(tx.state(), TxState::terminated);
}

TEST(InviteServerTx, ProvisionalFromTheTuReplaces100Trying) {
  FakeClock clock;
  InviteServerTx tx{make_invite(), false};
  tx.start(clock.now());
  auto ringing = make_response(tx.request(), 180);
  EXPECT_EQ(tx.on_tu_response(ringing, clock.now()).value(), (ServerTxActions{ringing, {}, {}}));
  EXPECT_EQ(tx.on_request(tx.request(), clock.now()).send, ringing);
  ASSERT_TRUE(tx.on_tu_response(make_response(tx.request(), 480), clock.now()));
  auto late = tx.on_tu_response(make_response(tx.request(), 200), clock.now());
  EXPECT_EQ(late.error(), make_error_code(TxErrc::final_response_sent));
}

TEST(InviteServerTx, TransportErrorInProceeding) {
  FakeClock clock;
  InviteServerTx tx{make_invite(), false};
  tx.start(clock.now());
  EXPECT_EQ(tx.on_transport_error(clock.now()),
            (ServerTxActions{{}, {}, TxOutcome::transport_error}));
  EXPECT_EQ(tx.state(), TxState::terminated);
}

}  // namespace
}  // namespace fedgate::sip
