// RFC 3261 §17.1.1 INVITE client transaction: Timers A, B, D, the non-2xx ACK, TLS and UDP.
#include "sip/txn/invite_client_tx.hpp"

#include <gtest/gtest.h>

#include "fake_clock.hpp"

namespace fedgate::sip {
namespace {

using test::FakeClock;
using test::make_request;
using test::make_response;

Request make_invite() { return make_request(Method::invite, "bob@partner.example"); }

TEST(InviteClientTx, TimerADoublesWithoutCapUntilTimerBOnUdp) {
  FakeClock clock;
  const TimePoint t0 = clock.now();
  InviteClientTx tx{make_invite(), false};
  EXPECT_EQ(tx.start(t0).wake_at, t0 + kT1);
  int sends = 0;
  std::optional<TxOutcome> done;
  for (int i = 0; i < 100 && !done; ++i) {  // follow wake_at until the transaction ends
    clock.t = *tx.on_wake(clock.now()).wake_at;
    auto a = tx.on_wake(clock.now());
    sends += a.send ? 1 : 0;
    done = a.done;
  }
  EXPECT_EQ(done, TxOutcome::timeout);
  EXPECT_EQ(sends, 6);  // at 0.5, 1.5, 3.5, 7.5, 15.5, 31.5 s: doubled past T2
  EXPECT_EQ(clock.now(), t0 + kTimerB);
}

TEST(InviteClientTx, TimerBOnlyOnTls) {
  FakeClock clock;
  InviteClientTx tx{make_invite(), true};
  auto a = tx.start(clock.now());
  EXPECT_EQ(a.send, tx.request());
  EXPECT_EQ(a.wake_at, clock.now() + 64 * kT1);
  clock.advance(64 * kT1);
  EXPECT_EQ(tx.on_wake(clock.now()), (ClientTxActions{{}, {}, {}, TxOutcome::timeout}));
  EXPECT_EQ(tx.state(), TxState::terminated);
}

TEST(InviteClientTx, ProvisionalStopsTimersAAndB) {
  FakeClock clock;
  InviteClientTx tx{make_invite(), false};
  tx.start(clock.now());
  auto ringing = make_response(tx.request(), 180);
  EXPECT_EQ(tx.on_response(ringing, clock.now()), (ClientTxActions{{}, ringing, {}, {}}));
  EXPECT_EQ(tx.state(), TxState::proceeding);
  clock.advance(seconds(40));
  EXPECT_EQ(tx.on_wake(clock.now()), ClientTxActions{});  // no retransmission, no timeout
  EXPECT_EQ(tx.state(), TxState::proceeding);
}

TEST(InviteClientTx, TwoHundredEntersAcceptedWithoutAckUntilTimerM) {
  FakeClock clock;
  InviteClientTx tx{make_invite(), false};
  tx.start(clock.now());
  tx.on_response(make_response(tx.request(), 180), clock.now());
  auto ok = make_response(tx.request(), 200);
  EXPECT_EQ(tx.on_response(ok, clock.now()), (ClientTxActions{{}, ok, clock.now() + kTimerM, {}}));
  EXPECT_EQ(tx.state(), TxState::accepted);  // RFC 6026 §8.4
  clock.advance(kTimerM);
  EXPECT_EQ(tx.on_wake(clock.now()), (ClientTxActions{{}, {}, {}, TxOutcome::final_response}));
  EXPECT_EQ(tx.state(), TxState::terminated);
}

TEST(InviteClientTx, AcceptedPassesTwoHundredRetransmissionsUpAndAbsorbsTheRest) {
  FakeClock clock;
  InviteClientTx tx{make_invite(), true};
  tx.start(clock.now());
  auto ok = make_response(tx.request(), 200);
  tx.on_response(ok, clock.now());
  EXPECT_EQ(tx.on_response(ok, clock.now()).to_tu, ok);  // the TU ACKs it again
  EXPECT_EQ(tx.on_response(make_response(tx.request(), 486), clock.now()).to_tu, std::nullopt);
  EXPECT_EQ(tx.state(), TxState::accepted);
}

TEST(InviteClientTx, NonTwoHundredFinalIsAckedAndTimerDAbsorbsRetransmissionsOnUdp) {
  FakeClock clock;
  InviteClientTx tx{make_invite(), false};
  tx.start(clock.now());
  auto not_found = make_response(tx.request(), 404);
  auto a = tx.on_response(not_found, clock.now());
  const Request ack = make_non_2xx_ack(tx.request(), not_found);
  EXPECT_EQ(a, (ClientTxActions{ack, not_found, clock.now() + seconds(32), {}}));
  EXPECT_EQ(tx.state(), TxState::completed);
  clock.advance(seconds(2));
  EXPECT_EQ(tx.on_response(not_found, clock.now()), (ClientTxActions{ack, {}, a.wake_at, {}}));
  clock.t = *a.wake_at;
  EXPECT_EQ(tx.on_wake(clock.now()), (ClientTxActions{{}, {}, {}, TxOutcome::final_response}));
}

TEST(InviteClientTx, NonTwoHundredFinalOnTlsEndsAtOnceAfterAck) {
  FakeClock clock;
  InviteClientTx tx{make_invite(), true};
  tx.start(clock.now());
  auto busy = make_response(tx.request(), 486);
  auto a = tx.on_response(busy, clock.now());
  EXPECT_EQ(a, (ClientTxActions{
                   make_non_2xx_ack(tx.request(), busy), busy, {}, TxOutcome::final_response}));
  EXPECT_EQ(tx.state(), TxState::terminated);
}

TEST(InviteClientTx, AckCopiesTheRfcFields) {
  Request invite = make_invite();
  Response busy = make_response(invite, 486);
  Request ack = make_non_2xx_ack(invite, busy);
  EXPECT_EQ(ack.method, Method::ack);
  EXPECT_EQ(ack.request_uri, invite.request_uri);
  EXPECT_EQ(ack.via, invite.via);
  EXPECT_EQ(ack.to.tag(), "b2");  // To from the response
  EXPECT_EQ(ack.from, invite.from);
  EXPECT_EQ(ack.call_id, invite.call_id);
  EXPECT_EQ(ack.cseq, (CSeq{7, Method::ack, {}}));
  EXPECT_EQ(ack.route, invite.route);
}

TEST(InviteClientTx, TransportErrorInCalling) {
  FakeClock clock;
  InviteClientTx tx{make_invite(), false};
  tx.start(clock.now());
  EXPECT_EQ(tx.on_transport_error(clock.now()).done, TxOutcome::transport_error);
  EXPECT_EQ(tx.state(), TxState::terminated);
}

}  // namespace
}  // namespace fedgate::sip
