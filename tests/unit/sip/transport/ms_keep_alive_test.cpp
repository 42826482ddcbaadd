// Ms-Keep-Alive (MS-CONMGMT §2.2.1) values and the per-connection negotiation, sans-I/O: the
// forms Office Communicator and OCS send (corpus: pidgin-sipe vectors), refusals, answers.
#include "sip/transport/ms_keep_alive.hpp"

#include <gtest/gtest.h>

#include "sip/codec/parser.hpp"
#include "sip/transport/keep_alive_negotiation.hpp"
#include "sip/transport/transport_error.hpp"

namespace fedgate::sip {
namespace {

Request request_with(const std::string& keep_alive, std::uint32_t cseq = 1) {
  std::string wire =
      "INVITE sip:bob@b.example SIP/2.0\r\nVia: SIP/2.0/TLS a.example;branch=z9hG4bKka\r\n"
      "Max-Forwards: 70\r\nFrom: <sip:alice@a.example>;tag=1\r\nTo: <sip:bob@b.example>\r\n"
      "Call-ID: ka-1\r\nCSeq: " +
      std::to_string(cseq) + " INVITE\r\n" + keep_alive + "Content-Length: 0\r\n\r\n";
  auto parsed = parse_message(wire);
  EXPECT_TRUE(parsed);
  return parsed ? std::get<Request>(*parsed) : Request{};
}

Response response_to(const Request& r, int status, const std::string& keep_alive = "") {
  Response out;
  static_cast<MessageHeaders&>(out) = r;
  out.other.clear();
  out.status = status;
  out.reason = "OK";
  if (!keep_alive.empty()) {
    out.other.push_back({"ms-keep-alive", keep_alive});
  }
  return out;
}

TEST(MsKeepAlive, ParsesTheOcsAnswer) {
  auto k = MsKeepAlive::parse("UAS; tcp=no; hop-hop=yes; end-end=no; timeout=300");
  ASSERT_TRUE(k);
  EXPECT_EQ(k->role, MsKeepAlive::Role::uas);
  EXPECT_EQ(k->tcp, false);
  EXPECT_EQ(k->hop_hop, true);
  EXPECT_EQ(k->end_end, false);
  EXPECT_EQ(k->timeout, 300u);
  EXPECT_EQ(k->str(), "UAS; tcp=no; hop-hop=yes; end-end=no; timeout=300");
}

TEST(MsKeepAlive, ParsesTheClientOfferCaseInsensitivelyAndKeepsExtensions) {
  auto k = MsKeepAlive::parse("uac;HOP-HOP=Yes;x-future=1");
  ASSERT_TRUE(k);
  EXPECT_EQ(k->role, MsKeepAlive::Role::uac);
  EXPECT_EQ(k->hop_hop, true);
  EXPECT_FALSE(k->timeout);
  ASSERT_EQ(k->extensions.size(), 1u);
  EXPECT_EQ(k->extensions[0].name, "x-future");
  EXPECT_EQ(ms_keep_alive_offer().str(), "UAC; hop-hop=yes");
}

TEST(MsKeepAlive, RefusesWhatTheGrammarDoesNotAllow) {
  for (const char* bad : {"", "hop-hop=yes", "UAS; hop-hop=maybe", "UAS; timeout=5m",
                          "UAS; timeout=99999999999", "UAS;;hop-hop=yes", "UAS, UAC"}) {
    auto k = MsKeepAlive::parse(bad);
    ASSERT_FALSE(k) << bad;
    EXPECT_EQ(k.error(), make_error_code(TransportErrc::bad_ms_keep_alive)) << bad;
  }
}

TEST(MsKeepAlive, InsertHeaderAddsALineBeforeTheBlankLine) {
  std::string wire = "SIP/2.0 200 OK\r\nCall-ID: x\r\n\r\nbody";
  insert_header(wire, kMsKeepAliveHeader, "UAS; timeout=5");
  EXPECT_EQ(wire, "SIP/2.0 200 OK\r\nCall-ID: x\r\nms-keep-alive: UAS; timeout=5\r\n\r\nbody");
}

TEST(KeepAliveNegotiation, AnswersAnOfferInItsFinalResponseOnce) {
  KeepAliveNegotiation n(false, 300);
  auto offer = request_with("ms-keep-alive: UAC;hop-hop=yes\r\n");
  EXPECT_TRUE(n.on_request(offer));
  EXPECT_FALSE(n.header_for(Message{response_to(offer, 180)}));
  auto answer = n.header_for(Message{response_to(offer, 200)});
  ASSERT_TRUE(answer);
  EXPECT_EQ(*answer, "UAS; tcp=no; hop-hop=yes; end-end=no; timeout=300");
  EXPECT_FALSE(n.header_for(Message{response_to(offer, 200)}));  // answered already
  EXPECT_FALSE(n.header_for(Message{response_to(request_with(""), 200)}));
}

TEST(KeepAliveNegotiation, TheAnswerGoesToTheOfferingRequestNotItsCancel) {
  KeepAliveNegotiation n(false, 300);
  auto offer = request_with("ms-keep-alive: UAC;hop-hop=yes\r\n");
  EXPECT_TRUE(n.on_request(offer));
  auto cancel_ok = response_to(offer, 200);
  cancel_ok.cseq.method = Method::cancel;  // same Call-ID and CSeq number
  EXPECT_FALSE(n.header_for(Message{cancel_ok}));
  EXPECT_TRUE(n.header_for(Message{response_to(offer, 487)}));
}

TEST(KeepAliveNegotiation, AnOfferWithoutHopHopIsAnsweredButAsksForNoPings) {
  KeepAliveNegotiation n(false, 120);
  auto offer = request_with("ms-keep-alive: UAC;tcp=yes\r\n", 7);
  EXPECT_FALSE(n.on_request(offer));
  auto answer = n.header_for(Message{response_to(offer, 486)});
  ASSERT_TRUE(answer);
  EXPECT_NE(answer->find("timeout=120"), std::string::npos);
}

TEST(KeepAliveNegotiation, OffersInRequestsUntilAnswered) {
  KeepAliveNegotiation n(true, 300);
  auto plain = request_with("");
  EXPECT_EQ(n.header_for(Message{plain}), "UAC; hop-hop=yes");
  EXPECT_EQ(n.on_response(response_to(plain, 200, "UAS; tcp=no; hop-hop=yes; timeout=45")), 45u);
  EXPECT_FALSE(n.header_for(Message{plain}));
}

TEST(KeepAliveNegotiation, AnAnswerWithoutHopHopAsksForNoPings) {
  KeepAliveNegotiation n(true, 300);
  auto plain = request_with("");
  EXPECT_FALSE(n.on_response(response_to(plain, 200, "UAS; hop-hop=no; timeout=45")));
  EXPECT_FALSE(n.on_response(response_to(plain, 200, "UAS; hop-hop=yes")));
  EXPECT_FALSE(n.header_for(Message{plain}));  // it was answered all the same
}

TEST(KeepAliveNegotiation, NeverOffersWhenDisabledOrTheLayerAboveWroteItsOwn) {
  KeepAliveNegotiation off(false, 300), on(true, 300);
  EXPECT_FALSE(off.header_for(Message{request_with("")}));
  EXPECT_FALSE(on.header_for(Message{request_with("ms-keep-alive: UAC;hop-hop=no\r\n")}));
}

}  // namespace
}  // namespace fedgate::sip
