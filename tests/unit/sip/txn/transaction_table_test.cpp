// TransactionTable: RFC 3261 §17.1.3 / §17.2.3 matching (with the RFC 2543 fallback),
// retransmission absorption, §8.2.2.2 merged requests, RFC 6026 accepted state, CANCEL.
// Messages are wire bytes; what the table asks to send is compared as wire bytes.
#include "sip/txn/transaction_table.hpp"

#include <gtest/gtest.h>

#include <string>

#include "fake_clock.hpp"
#include "sip/codec/error_response.hpp"
#include "sip/codec/parser.hpp"
#include "sip/codec/serializer.hpp"
#include "sip/txn/tx_error.hpp"

namespace fedgate::sip {
namespace {

using test::FakeClock;

// A request from sip.partner.example with this top-Via branch, To tag and CSeq.
std::string wire(std::string_view method, std::string_view branch, std::string_view to_tag = "",
                 std::uint32_t cseq = 1, std::string_view cseq_method = {}) {
  std::string m(method);
  return m + " sip:bob@corp.example SIP/2.0\r\n" +
         "Via: SIP/2.0/TLS sip.partner.example:5061;branch=" + std::string(branch) + "\r\n" +
         "Max-Forwards: 70\r\n" + "From: <sip:alice@partner.example>;tag=f1\r\n" +
         "To: <sip:bob@corp.example>" + (to_tag.empty() ? "" : ";tag=" + std::string(to_tag)) +
         "\r\n" + "Call-ID: c1@partner.example\r\n" + "CSeq: " + std::to_string(cseq) + " " +
         std::string(cseq_method.empty() ? method : cseq_method) + "\r\n" +
         "Content-Length: 0\r\n\r\n";
}

Request req(const std::string& text) { return parse_request(text).value(); }
Response resp(const std::string& text) { return parse_response(text).value(); }

const std::string kOkToMessage =
    "SIP/2.0 200 OK\r\n"
    "Via: SIP/2.0/TLS sip.partner.example:5061;branch=z9hG4bKm1\r\n"
    "From: <sip:alice@partner.example>;tag=f1\r\n"
    "To: <sip:bob@corp.example>;tag=t9\r\n"
    "Call-ID: c1@partner.example\r\n"
    "CSeq: 1 MESSAGE\r\n"
    "Content-Length: 0\r\n\r\n";

TEST(TransactionTable, NewRequestThenRetransmissionGetsTheSameResponseOnUdp) {
  FakeClock clock;
  TransactionTable table;
  auto first = table.on_request(req(wire("MESSAGE", "z9hG4bKm1")), false, clock.now()).value();
  ASSERT_EQ(first.kind, RequestKind::new_request);
  EXPECT_TRUE(first.effects.send.empty());
  auto sent = table.on_tu_response(first.tx, resp(kOkToMessage), clock.now()).value();
  ASSERT_EQ(sent.send.size(), 1u);
  EXPECT_EQ(serialize(sent.send[0].message), kOkToMessage);
  auto again = table.on_request(req(wire("MESSAGE", "z9hG4bKm1")), false, clock.now()).value();
  EXPECT_EQ(again.kind, RequestKind::absorbed);
  EXPECT_EQ(again.tx, first.tx);
  ASSERT_EQ(again.effects.send.size(), 1u);
  EXPECT_EQ(serialize(again.effects.send[0].message), kOkToMessage);
}

TEST(TransactionTable, TlsNonInviteServerTransactionEndsWithItsFinalResponse) {
  FakeClock clock;
  TransactionTable table;
  auto first = table.on_request(req(wire("MESSAGE", "z9hG4bKm1")), true, clock.now()).value();
  auto sent = table.on_tu_response(first.tx, resp(kOkToMessage), clock.now()).value();
  EXPECT_EQ(sent.ended, (std::vector<TxEnd>{{first.tx, TxOutcome::final_response}}));
  EXPECT_EQ(table.size(), 0u);
  EXPECT_EQ(table.on_tu_response(first.tx, resp(kOkToMessage), clock.now()).error(),
            make_error_code(TxErrc::unknown_transaction));
}

TEST(TransactionTable, DifferentBranchOrSentByIsANewTransaction) {
  FakeClock clock;
  TransactionTable table;
  auto a = table.on_request(req(wire("MESSAGE", "z9hG4bKm1")), true, clock.now()).value();
  std::string other_host = wire("MESSAGE", "z9hG4bKm1", "", 2);
  other_host.replace(other_host.find("sip.partner.example:5061"), 24, "edge.partner.example");
  auto b = table.on_request(req(other_host), true, clock.now()).value();
  auto c = table.on_request(req(wire("MESSAGE", "z9hG4bKm2", "", 3)), true, clock.now()).value();
  EXPECT_EQ(b.kind, RequestKind::new_request);
  EXPECT_EQ(c.kind, RequestKind::new_request);
  EXPECT_NE(a.tx, b.tx);
  EXPECT_NE(b.tx, c.tx);
  EXPECT_EQ(table.size(), 3u);
}

TEST(TransactionTable, MergedRequestIsReportedForA482) {
  FakeClock clock;
  TransactionTable table;
  table.on_request(req(wire("MESSAGE", "z9hG4bKm1")), true, clock.now()).value();
  // The same request forked back to us along another path: another branch (§8.2.2.2).
  auto merged = table.on_request(req(wire("MESSAGE", "z9hG4bKm9")), true, clock.now()).value();
  EXPECT_EQ(merged.kind, RequestKind::merged);
  EXPECT_EQ(table.size(), 1u);
}

TEST(TransactionTable, InviteGets100TryingAndItsRetransmissionsAreAbsorbedAfter2xx) {
  FakeClock clock;
  TransactionTable table;
  auto invite = table.on_request(req(wire("INVITE", "z9hG4bKi1")), true, clock.now()).value();
  ASSERT_EQ(invite.effects.send.size(), 1u);
  EXPECT_EQ(std::get<Response>(invite.effects.send[0].message).status, 100);
  Response ok = make_error_response(*table.request(invite.tx), 200, "OK", "t9");
  table.on_tu_response(invite.tx, ok, clock.now()).value();
  EXPECT_EQ(table.state(invite.tx), TxState::accepted);
  auto again = table.on_request(req(wire("INVITE", "z9hG4bKi1")), true, clock.now()).value();
  EXPECT_EQ(again.kind, RequestKind::absorbed);
  EXPECT_TRUE(again.effects.send.empty());  // RFC 6026 §8.5: the TU retransmits 2xx
}

TEST(TransactionTable, AckOf2xxGoesToTheTuAndTimerLEndsTheTransaction) {
  FakeClock clock;
  TransactionTable table;
  auto invite = table.on_request(req(wire("INVITE", "z9hG4bKi1")), true, clock.now()).value();
  table.on_tu_response(invite.tx, make_error_response(*table.request(invite.tx), 200, "OK", "t9"),
                       clock.now());
  // Same branch (RFC 2543-style UA) and a new branch (RFC 3261 §17.1.1.3): both for the TU.
  auto same = table.on_request(req(wire("ACK", "z9hG4bKi1", "t9")), true, clock.now()).value();
  auto fresh = table.on_request(req(wire("ACK", "z9hG4bKa2", "t9")), true, clock.now()).value();
  EXPECT_EQ(same.kind, RequestKind::ack);
  EXPECT_EQ(fresh.kind, RequestKind::ack);
  EXPECT_EQ(table.next_wake(), clock.now() + kTimerL);
  clock.advance(kTimerL);
  EXPECT_EQ(table.on_wake(clock.now()).ended,
            (std::vector<TxEnd>{{invite.tx, TxOutcome::final_response}}));
}

TEST(TransactionTable, AckOfNon2xxIsAbsorbedAndEndsTheTransactionOnTls) {
  FakeClock clock;
  TransactionTable table;
  auto invite = table.on_request(req(wire("INVITE", "z9hG4bKi1")), true, clock.now()).value();
  Response busy = make_error_response(*table.request(invite.tx), 486, "Busy Here", "t9");
  EXPECT_EQ(serialize(table.on_tu_response(invite.tx, busy, clock.now()).value().send[0].message),
            serialize(busy));
  auto ack = table.on_request(req(wire("ACK", "z9hG4bKi1", "t9", 1, "ACK")), true, clock.now());
  EXPECT_EQ(ack.value().kind, RequestKind::absorbed);
  EXPECT_EQ(ack.value().effects.ended,
            (std::vector<TxEnd>{{invite.tx, TxOutcome::final_response}}));
}

TEST(TransactionTable, CancelIsItsOwnTransactionAndNamesTheInvite) {
  FakeClock clock;
  TransactionTable table;
  auto invite = table.on_request(req(wire("INVITE", "z9hG4bKi1")), true, clock.now()).value();
  auto cancel = table.on_request(req(wire("CANCEL", "z9hG4bKi1")), true, clock.now()).value();
  EXPECT_EQ(cancel.kind, RequestKind::cancel);
  EXPECT_NE(cancel.tx, invite.tx);
  EXPECT_EQ(cancel.cancelled, invite.tx);
  auto orphan =
      table.on_request(req(wire("CANCEL", "z9hG4bKx7", "", 5)), true, clock.now()).value();
  EXPECT_EQ(orphan.cancelled, std::nullopt);  // the TU answers 481
}

// Our own requests: what the table sends and how responses find their transaction.
const std::string kOurMessage =
    "MESSAGE sip:alice@partner.example SIP/2.0\r\n"
    "Via: SIP/2.0/TLS fedgate.corp.example:5061;branch=z9hG4bKo1\r\n"
    "From: <sip:bob@corp.example>;tag=b1\r\n"
    "To: <sip:alice@partner.example>\r\n"
    "Call-ID: o1@corp.example\r\n"
    "CSeq: 1 MESSAGE\r\n"
    "Max-Forwards: 70\r\n"
    "Content-Type: text/plain\r\n"
    "Content-Length: 2\r\n\r\nhi";

std::string answer(std::string request, int status, std::string_view method) {
  Response r = make_error_response(req(request), status, status == 200 ? "OK" : "Busy", "p1");
  r.cseq = CSeq{r.cseq.sequence, parse_request(wire(method, "x")).value().method, {}};
  return serialize(r);
}

TEST(TransactionTable, ClientTransactionSendsTheRequestAndMatchesItsResponse) {
  FakeClock clock;
  TransactionTable table;
  TxEffects effects;
  TxId tx = table.start_client(req(kOurMessage), true, clock.now(), effects).value();
  ASSERT_EQ(effects.send.size(), 1u);
  EXPECT_EQ(serialize(effects.send[0].message), kOurMessage);
  EXPECT_EQ(table.next_wake(), clock.now() + kTimerF);  // no Timer E on TLS
  auto other =
      table.on_response(resp(answer(wire("MESSAGE", "z9hG4bKo2"), 200, "MESSAGE")), clock.now());
  EXPECT_TRUE(other.to_tu.empty());  // a stray: another branch
  auto ok = resp(answer(kOurMessage, 200, "MESSAGE"));
  auto done = table.on_response(ok, clock.now());
  EXPECT_EQ(done.to_tu, (std::vector<TxResponse>{{tx, ok}}));
  EXPECT_EQ(done.ended, (std::vector<TxEnd>{{tx, TxOutcome::final_response}}));
}

TEST(TransactionTable, TimerFEndsAnUnansweredClientTransaction) {
  FakeClock clock;
  TransactionTable table;
  TxEffects effects;
  TxId tx = table.start_client(req(kOurMessage), true, clock.now(), effects).value();
  EXPECT_EQ(table.start_client(req(kOurMessage), true, clock.now(), effects).error(),
            make_error_code(TxErrc::duplicate_transaction));
  clock.advance(kTimerF - milliseconds(1));
  EXPECT_TRUE(table.on_wake(clock.now()).ended.empty());
  clock.advance(milliseconds(1));
  EXPECT_EQ(table.on_wake(clock.now()).ended, (std::vector<TxEnd>{{tx, TxOutcome::timeout}}));
  EXPECT_EQ(table.next_wake(), std::nullopt);
}

TEST(TransactionTable, InviteClient2xxRetransmissionsReachTheTuUntilTimerM) {
  FakeClock clock;
  TransactionTable table;
  std::string invite = kOurMessage;
  for (auto pos = invite.find("MESSAGE"); pos != std::string::npos; pos = invite.find("MESSAGE")) {
    invite.replace(pos, 7, "INVITE");
  }
  TxEffects effects;
  TxId tx = table.start_client(req(invite), true, clock.now(), effects).value();
  auto ok = resp(answer(invite, 200, "INVITE"));
  EXPECT_EQ(table.on_response(ok, clock.now()).to_tu.size(), 1u);
  EXPECT_EQ(table.on_response(ok, clock.now()).to_tu, (std::vector<TxResponse>{{tx, ok}}));
  clock.advance(kTimerM);
  EXPECT_EQ(table.on_wake(clock.now()).ended.size(), 1u);
  EXPECT_TRUE(table.on_response(ok, clock.now()).to_tu.empty());  // stray after Timer M
}

TEST(TransactionTable, TransportErrorEndsTheTransaction) {
  FakeClock clock;
  TransactionTable table;
  TxEffects effects;
  TxId tx = table.start_client(req(kOurMessage), true, clock.now(), effects).value();
  EXPECT_EQ(table.on_transport_error(tx, clock.now()).ended,
            (std::vector<TxEnd>{{tx, TxOutcome::transport_error}}));
  EXPECT_EQ(table.size(), 0u);
}

TEST(TransactionTable, LegacyAckWithTheResponseToTagFindsTheInvite) {
  FakeClock clock;
  TransactionTable table;
  auto invite = table.on_request(req(wire("INVITE", "rfc2543-1")), true, clock.now()).value();
  Response busy = make_error_response(*table.request(invite.tx), 486, "Busy Here", "t9");
  table.on_tu_response(invite.tx, busy, clock.now()).value();
  auto wrong = table.on_request(req(wire("ACK", "rfc2543-1", "zz")), true, clock.now()).value();
  EXPECT_EQ(wrong.kind, RequestKind::ack);  // To tag differs: not this transaction (§17.2.3)
  auto ack = table.on_request(req(wire("ACK", "rfc2543-1", "t9")), true, clock.now()).value();
  EXPECT_EQ(ack.kind, RequestKind::absorbed);
  EXPECT_EQ(ack.tx, invite.tx);
  EXPECT_EQ(table.size(), 0u);
}

}  // namespace
}  // namespace fedgate::sip
