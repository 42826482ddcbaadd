// Unit tests of the load generator's own decoding and encoding (tests/bench/load): the msrtc
// reader against fedgate's writer, the phase b state ranges, LeanSip's pre-encoded requests and
// its matching of answers. Pure; no sockets.
#include <gtest/gtest.h>

#include "sip/bridge/convert_presence_out.hpp"
#include "sip/codec/parser.hpp"
#include "tests/bench/load/lean_sip.hpp"
#include "tests/bench/load/msrtc_reader.hpp"
#include "tests/bench/load/stanzas.hpp"

namespace fedgate::load {
namespace {

TEST(MsrtcReader, ReadsWhatFedgatesWriterWrites) {
  auto body = msrtc_body(std::string("h7@home.test"), 6500, "La:42 note");
  MsrtcReader reader;
  MsrtcReading r;
  ASSERT_TRUE(reader.read(body.bytes, r));
  EXPECT_EQ(r.uri, "sip:h7@home.test");
  EXPECT_EQ(r.availabilities, std::vector<std::uint32_t>{6500});
  EXPECT_EQ(r.note, "La:42 note");
}

TEST(MsrtcReader, RefusesOtherDocumentsAndIsReusable) {
  MsrtcReader reader;
  MsrtcReading r;
  EXPECT_FALSE(reader.read("<presence xmlns='urn:ietf:params:xml:ns:pidf'/>", r));
  EXPECT_FALSE(reader.read("<categories xmlns='http://schemas.microsoft.com/2006/09/sip/categories'>",
                           r));  // not well-formed
  auto bad = msrtc_body(std::string("h1@home.test"), 3500, "x").bytes;
  bad.replace(bad.find("3500"), 4, "35x0");
  EXPECT_FALSE(reader.read(bad, r));
  MsrtcReading good;
  EXPECT_TRUE(reader.read(msrtc_body(std::string("h1@home.test"), 3500, "x").bytes, good));
}

TEST(StateMap, LyncNumberRangesFollowTheShowSent) {
  EXPECT_TRUE(lync_number_matches_show("", 3500));
  EXPECT_TRUE(lync_number_matches_show("chat", 3500));
  EXPECT_TRUE(lync_number_matches_show("dnd", 6500));
  EXPECT_FALSE(lync_number_matches_show("dnd", 9500));
  EXPECT_TRUE(lync_number_matches_show("xa", 15500));
  EXPECT_FALSE(lync_number_matches_show("away", 3500));
}

constexpr std::string_view kSubscribe =
    "SUBSCRIBE sip:p3@partner.test SIP/2.0\r\n"
    "Via: SIP/2.0/TLS fedgate.test:5061;branch=z9hG4bKabc\r\n"
    "From: <sip:h3@home.test>;tag=fg1\r\nTo: <sip:p3@partner.test>\r\n"
    "Call-ID: call-3\r\nCSeq: 1 SUBSCRIBE\r\nContact: <sip:fedgate.test:5061;transport=tls>\r\n"
    "Event: presence\r\nExpires: 3600\r\nContent-Length: 0\r\n\r\n";

struct Recorder : LeanEvents {
  void lean_answered(std::size_t seq, std::size_t, int status) override {
    answers.emplace_back(seq, status);
  }
  void lean_notify(std::size_t, const sip::Request&) override {}
  void lean_message(std::size_t, const sip::Request&) override {}
  std::vector<std::pair<std::size_t, int>> answers;
};

TEST(LeanSip, NotifyFromTemplateParsesAndItsAnswerIsMatched) {
  auto subscribe = std::get<sip::Request>(sip::parse_message(kSubscribe).value());
  LeanSip lean(10, "127.0.0.40", 5061);
  Recorder events;
  lean.set_events(&events);
  lean.add_notifier(3, subscribe, sip::DialogId{"call-3", "ours", "fg1"});
  lean.enable();
  ASSERT_TRUE(lean.send_notify(3, 13, 1, "<doc/>"));
  auto sent = sip::parse_message(lean.queued());
  ASSERT_TRUE(sent);
  const auto& notify = std::get<sip::Request>(*sent);
  EXPECT_EQ(notify.request_uri.host, "fedgate.test");
  EXPECT_EQ(notify.from.tag(), "ours");
  EXPECT_EQ(notify.to.tag(), "fg1");
  EXPECT_EQ(notify.body, "<doc/>");
  EXPECT_EQ(notify.subscription_state->state, "active");
  sip::Response ok;
  ok.status = 200;
  ok.call_id = "call-3";
  ok.cseq = notify.cseq;
  sip::Message answer = ok;
  EXPECT_TRUE(lean.take(answer));
  EXPECT_EQ(events.answers, (std::vector<std::pair<std::size_t, int>>{{13, 200}}));
  EXPECT_EQ(lean.pending(), 0U);
}

TEST(LeanSip, AnswersNotifyInOwnSubscriptionOnly) {
  LeanSip lean(10, "127.0.0.40", 5061);
  Recorder events;
  lean.set_events(&events);
  lean.add_subscription(2, sip::DialogId{"sub-2", "ours", "fg"});
  lean.enable();
  std::string text =
      "NOTIFY sip:127.0.0.40:5061;transport=tls SIP/2.0\r\n"
      "Via: SIP/2.0/TLS fedgate.test:5061;branch=z9hG4bKn1\r\n"
      "From: <sip:h2@home.test>;tag=fg\r\nTo: <sip:p2@partner.test>;tag=ours\r\n"
      "Call-ID: sub-2\r\nCSeq: 7 NOTIFY\r\nContact: <sip:fedgate.test>\r\nEvent: presence\r\n"
      "Subscription-State: active;expires=3000\r\nContent-Length: 0\r\n\r\n";
  sip::Message notify = sip::parse_message(text).value();
  EXPECT_TRUE(lean.take(notify));
  auto answer = sip::parse_message(lean.queued_answers());
  ASSERT_TRUE(answer);
  EXPECT_EQ(std::get<sip::Response>(*answer).status, 200);
  EXPECT_EQ(std::get<sip::Response>(*answer).cseq.sequence, 7U);
  text.replace(text.find("Call-ID: sub-2"), 14, "Call-ID: sub-9");
  sip::Message other = sip::parse_message(text).value();
  EXPECT_FALSE(lean.take(other));  // not ours: the agent's
}

}  // namespace
}  // namespace fedgate::load
