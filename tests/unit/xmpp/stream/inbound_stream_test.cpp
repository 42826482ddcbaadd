// InboundStream driven by the XEP-0178 server-to-server transcript (examples 18–28):
// the bytes conference.example.org sends, and the exact bytes fedgate (example.com) answers.
#include "xmpp/stream/inbound_stream.hpp"

#include <gtest/gtest.h>

#include "tests/unit/xmpp/stream/stream_test_support.hpp"

namespace fedgate::xmpp {
namespace {

using namespace test;

constexpr std::string_view kTlsFeatures =
    "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls>"
    "</stream:features>";
constexpr std::string_view kPeer = "conference.example.org";

class InboundXep0178 : public ::testing::Test {
 protected:
  InboundXep0178() : config(make_config({"example.com"})) {
    config->security.tls_mode = TlsMode::tls_required;
  }
  StreamActions feed(const std::string& example) {
    return stream->on_bytes(
        transcript("xep0178/" + example + "-server-to-server-recommendation.xml"), kT0);
  }
  // Through STARTTLS (examples 18, 21) and the TLS handshake.
  void through_tls() {
    feed("18");
    EXPECT_TRUE(feed("21").start_tls);
    EXPECT_TRUE(stream->on_tls_established(valid_cert(std::string(kPeer)), kT0).write.empty());
  }
  std::shared_ptr<StreamConfig> config;
  std::unique_ptr<InboundStream> stream = std::make_unique<InboundStream>(config, kT0);
};

TEST_F(InboundXep0178, AnswersTheHeaderWithRequiredStartTls) {
  const auto a = feed("18");
  EXPECT_EQ(a.write, our_header("example.com", kPeer, "id1") + std::string(kTlsFeatures));
  EXPECT_EQ(stream->state(), InboundState::negotiating);
  EXPECT_EQ(stream->peer_domain(), kPeer);
}

TEST_F(InboundXep0178, ProceedsToTlsAndDiscardsWhatFollows) {
  feed("18");
  const auto a = stream->on_bytes(
      transcript("xep0178/21-server-to-server-recommendation.xml") + "<message/>", kT0);
  EXPECT_EQ(a.write, "<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
  EXPECT_TRUE(a.start_tls);
  EXPECT_FALSE(a.close);  // the injected plaintext <message/> was dropped, not parsed
  EXPECT_EQ(stream->state(), InboundState::tls_handshake);
}

TEST_F(InboundXep0178, OffersExternalOnlyForAValidatedCertificate) {
  through_tls();
  const auto a = feed("23");
  EXPECT_EQ(a.write, our_header("example.com", kPeer, "id2") +
                         "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>"
                         "<mechanism>EXTERNAL</mechanism></mechanisms>" +
                         std::string(kDialbackFeature) + std::string(kSmFeatureXml) +
                         "</stream:features>");
}

TEST_F(InboundXep0178, WithholdsExternalWhenTheCertificateNamesAnotherDomain) {
  config->security.require_valid_certificates = false;
  feed("18");
  feed("21");
  stream->on_tls_established(valid_cert("other.example"), kT0);
  const auto a = feed("23");
  EXPECT_EQ(a.write.find("EXTERNAL"), std::string::npos);
  EXPECT_NE(a.write.find("urn:xmpp:features:dialback"), std::string::npos);
}

TEST_F(InboundXep0178, SaslExternalSucceedsAndTheStreamRestarts) {
  through_tls();
  feed("23");
  const auto a = feed("26");  // <auth mechanism='EXTERNAL'>=</auth>
  EXPECT_EQ(a.write, "<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>");
  EXPECT_EQ(a.authenticated, (std::vector<Authenticated>{{{"example.com", std::string(kPeer)},
                                                          AuthMethod::sasl_external}}));
  const auto restarted = feed("23");
  EXPECT_EQ(restarted.write, our_header("example.com", kPeer, "id3") + "<stream:features>" +
                                 std::string(kDialbackFeature) + std::string(kSmFeatureXml) +
                                 "</stream:features>");
}

TEST_F(InboundXep0178, AuthorisationIdentityMustBeTheHeaderFrom) {
  through_tls();
  feed("23");
  const auto a = stream->on_bytes(
      "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='EXTERNAL'>"
      "ZXZpbC5leGFtcGxl</auth>",
      kT0);  // base64("evil.example")
  EXPECT_EQ(a.write,
            "<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><invalid-authzid/>"
            "</failure>");
  EXPECT_TRUE(a.authenticated.empty());
}

TEST_F(InboundXep0178, TheMalformedFeaturesExampleWouldBeRefused) {  // example 25 as input
  through_tls();
  feed("23");
  const auto a = feed("25");
  ASSERT_TRUE(a.close);
  EXPECT_EQ(a.close->error, StreamErrc::not_well_formed);
  EXPECT_TRUE(
      a.write.ends_with("<not-well-formed xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"
                        "</stream:error></stream:stream>"));
}

TEST_F(InboundXep0178, NothingButStartTlsBeforeTlsWhenRequired) {  // RFC 6120 §5.3.1
  feed("18");
  const auto a = stream->on_bytes(
      "<db:result xmlns:db='jabber:server:dialback' from='conference.example.org' "
      "to='example.com'>abc</db:result>",
      kT0);
  ASSERT_TRUE(a.close);
  EXPECT_EQ(*a.close, (StreamClose{StreamErrc::policy_violation, "tls_required"}));
}

}  // namespace
}  // namespace fedgate::xmpp
