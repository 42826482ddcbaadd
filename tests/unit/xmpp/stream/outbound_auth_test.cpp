// OutboundStream with dialback (XEP-0220 examples 2–8) and XEP-0198 delivery accounting:
// fedgate is capulet.example, the peer montague.example.
#include <gtest/gtest.h>

#include "tests/unit/xmpp/stream/stream_test_support.hpp"
#include "xmpp/stream/dialback_key.hpp"
#include "xmpp/stream/outbound_stream.hpp"

namespace fedgate::xmpp {
namespace {

using namespace test;

class OutboundDialback : public ::testing::Test {
 protected:
  OutboundDialback() : config(make_config({"capulet.example", "chat.capulet.example"})) {}
  StreamActions bytes(std::string_view b) { return stream.on_bytes(b, kT0); }
  StreamActions example(const std::string& name) {
    return bytes(transcript("xep0220/" + name + ".xml"));
  }
  StreamActions open(std::string_view features) {
    stream.start(kT0);
    bytes(peer_header("montague.example", "capulet.example", "D60000229F"));
    return bytes("<stream:features>" + std::string(features) + "</stream:features>");
  }
  StreamActions ready(std::string_view features = kDialbackFeature) {
    open(features);
    return example("02-initiating-server-receives-valid-verification-result-from-re");
  }
  StreamActions send(std::uint64_t tag) {
    Element m("message", "jabber:server");
    m.set("from", "juliet@capulet.example").set("to", "romeo@montague.example");
    return stream.send(std::move(m), tag, kT0);
  }
  std::shared_ptr<StreamConfig> config;
  OutboundStream stream{config, DomainPair{"capulet.example", "montague.example"}, kT0};
};

TEST_F(OutboundDialback, SendsTheXep0185KeyBoundToTheirStreamId) {  // §2.1.1 step 1
  EXPECT_EQ(open(kDialbackFeature).write,
            "<db:result from='capulet.example' to='montague.example'>" +
                dialback_key(kSecret, "montague.example", "capulet.example", "D60000229F") +
                "</db:result>");
}

TEST_F(OutboundDialback, ValidResultMakesTheStreamReadyAndFlushesStanzas) {  // example 2
  open(kDialbackFeature);
  send(1);
  const auto a = example("02-initiating-server-receives-valid-verification-result-from-re");
  EXPECT_EQ(a.authenticated, (std::vector<Authenticated>{
                                 {{"capulet.example", "montague.example"}, AuthMethod::dialback}}));
  EXPECT_EQ(a.write, "<message from='juliet@capulet.example' to='romeo@montague.example'/>");
  EXPECT_EQ(a.delivered, std::vector<std::uint64_t>{1});  // no XEP-0198: written = delivered
}

TEST_F(OutboundDialback, InvalidOrErrorResultEndsTheStream) {  // examples 3, 4
  open(kDialbackFeature);
  const auto a = example("03-initiating-server-receives-invalid-verification-result-from");
  EXPECT_EQ(a.refused.at(0).reason, "dialback_invalid");
  EXPECT_EQ(*a.close, (StreamClose{std::nullopt, "dialback_invalid"}));
  OutboundStream other{config, DomainPair{"capulet.example", "montague.example"}, kT0};
  std::swap(stream, other);
  open(kDialbackFeature);
  EXPECT_EQ(example("04-initiating-server-receives-dialback-error-from-receiving-ser")
                .refused.at(0)
                .reason,
            "dialback_error");
}

TEST_F(OutboundDialback, CarriesVerifyQuestionsAndReportsVerdicts) {  // examples 5–8
  const DialbackVerify q{"capulet.example", "montague.example", "417GAF25", "225cc5"};
  stream.verify(q, kT0);  // queued until the stream can carry it
  EXPECT_NE(
      open(kDialbackFeature)
          .write.find("<db:verify from='capulet.example' to='montague.example' id='417GAF25'>225cc5"
                      "</db:verify>"),
      std::string::npos);
  EXPECT_EQ(example("06-receiving-server-is-informed-by-authoritative-server-that-ke").verdicts,
            (std::vector<DialbackVerdict>{{q, DialbackOutcome::valid}}));
  stream.verify(q, kT0);
  EXPECT_EQ(example("08-receiving-server-receives-dialback-error-from-authoritative")
                .verdicts.at(0)
                .outcome,
            DialbackOutcome::error);
}

TEST_F(OutboundDialback, MultiplexesAnotherLocalDomain) {  // XEP-0220 §2.1
  ready();
  const auto a = stream.authenticate("chat.capulet.example", kT0);
  EXPECT_EQ(a.write,
            "<db:result from='chat.capulet.example' to='montague.example'>" +
                dialback_key(kSecret, "montague.example", "chat.capulet.example", "D60000229F") +
                "</db:result>");
  EXPECT_EQ(stream.authenticate("elsewhere.example", kT0).refused.at(0).reason,
            "multiplex_unavailable");
}

TEST_F(OutboundDialback, AcknowledgementsReportDeliveredTags) {  // XEP-0198 §4
  config->sm_request_every = 2;
  ready(std::string(kDialbackFeature) + std::string(kSmFeatureXml));
  EXPECT_EQ(bytes("<enabled xmlns='urn:xmpp:sm:3'/>").write, "");
  EXPECT_EQ(send(1).write, "<message from='juliet@capulet.example' to='romeo@montague.example'/>");
  EXPECT_TRUE(send(2).write.ends_with("<r xmlns='urn:xmpp:sm:3'/>"));
  send(3);
  const auto a = bytes("<a xmlns='urn:xmpp:sm:3' h='2'/>");
  EXPECT_EQ(a.delivered, (std::vector<std::uint64_t>{1, 2}));
  EXPECT_EQ(stream.unacked(), 1u);
  const auto lost = stream.take_unacked();
  ASSERT_EQ(lost.size(), 1u);
  EXPECT_EQ(lost[0].tag, 3u);
}

TEST_F(OutboundDialback, TooHighAcknowledgementIsAStreamError) {  // XEP-0198 §4
  ready(std::string(kDialbackFeature) + std::string(kSmFeatureXml));
  bytes("<enabled xmlns='urn:xmpp:sm:3'/>");
  send(1);
  const auto a = bytes("<a xmlns='urn:xmpp:sm:3' h='5'/>");
  EXPECT_EQ(a.write,
            "<stream:error><undefined-condition "
            "xmlns='urn:ietf:params:xml:ns:xmpp-streams'/><handled-count-too-high "
            "xmlns='urn:xmpp:sm:3' h='5' send-count='1'/></stream:error>"
            "</stream:stream>");
  EXPECT_EQ(a.close->reason, "sm_handled_count_too_high");
}

TEST_F(OutboundDialback, DirectTlsSkipsStartTlsAndUsesExternal) {  // XEP-0368
  EXPECT_TRUE(stream.on_tls_established(valid_cert("montague.example"), kT0).write.empty());
  stream.start(kT0);
  bytes(peer_header("montague.example", "capulet.example", "D60000229F"));
  const auto a = bytes(
      "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"
      "<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>"
      "EXTERNAL</mechanism></mechanisms></stream:features>");
  EXPECT_EQ(a.write,
            "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='EXTERNAL'>"
            "Y2FwdWxldC5leGFtcGxl</auth>");  // base64("capulet.example")
}

TEST_F(OutboundDialback, StanzasOnAnOutboundStreamAreUnsupported) {
  ready();
  EXPECT_EQ(bytes("<message from='a@montague.example' to='b@capulet.example'/>").close->error,
            StreamErrc::unsupported_stanza_type);
}

}  // namespace
}  // namespace fedgate::xmpp
