// InboundStream as receiving and authoritative server for XEP-0220 (examples 1, 9–16), with
// several domain pairs on one stream, stanza routing and XEP-0198 counting.
#include <gtest/gtest.h>

#include "tests/unit/xmpp/stream/stream_test_support.hpp"
#include "xmpp/stream/dialback_key.hpp"
#include "xmpp/stream/inbound_stream.hpp"

namespace fedgate::xmpp {
namespace {

using namespace test;

constexpr std::string_view kKey =
    "b4835385f37fe2895af6c196b59097b16862406db80559900d96bf6fa7d23df3";  // XEP-0220 ex. 1

class InboundDialback : public ::testing::Test {
 protected:
  InboundDialback() : config(make_config({"montague.example"})) { config->tls_available = false; }
  StreamActions open() {
    return stream.on_bytes(peer_header("capulet.example", "montague.example"), kT0);
  }
  StreamActions example(const std::string& name) {
    return stream.on_bytes(transcript("xep0220/" + name + ".xml"), kT0);
  }
  // Example 1 in, then the authoritative server says "valid".
  StreamActions authenticate() {
    open();
    const auto a = example("01-initiating-server-sends-dialback-key-step-1");
    EXPECT_EQ(a.verify.size(), 1u);
    return stream.on_dialback_verdict(a.verify.at(0), DialbackOutcome::valid, kT0);
  }
  StreamActions message(std::string_view from, std::string_view to) {
    return stream.on_bytes("<message from='" + std::string(from) + "' to='" + std::string(to) +
                               "' type='chat'><body>hi</body></message>",
                           kT0);
  }
  std::shared_ptr<StreamConfig> config;
  InboundStream stream{config, kT0};
};

TEST_F(InboundDialback, OffersDialbackAndStreamManagement) {
  EXPECT_EQ(open().write, our_header("montague.example", "capulet.example", "id1") +
                              "<stream:features>" + std::string(kDialbackFeature) +
                              std::string(kSmFeatureXml) + "</stream:features>");
}

TEST_F(InboundDialback, AsksTheAuthoritativeServerAboutTheTrimmedKey) {  // §2.1.2
  open();
  const auto a = example("01-initiating-server-sends-dialback-key-step-1");
  EXPECT_TRUE(a.write.empty());
  EXPECT_EQ(a.verify, (std::vector<DialbackVerify>{
                          {"montague.example", "capulet.example", "id1", std::string(kKey)}}));
}

TEST_F(InboundDialback, ValidVerdictAuthenticatesThePair) {  // example 11
  const auto a = authenticate();
  EXPECT_EQ(a.write, "<db:result from='montague.example' to='capulet.example' type='valid'/>");
  EXPECT_EQ(a.authenticated, (std::vector<Authenticated>{
                                 {{"montague.example", "capulet.example"}, AuthMethod::dialback}}));
  EXPECT_TRUE(stream.is_authenticated({"montague.example", "capulet.example"}));
}

TEST_F(InboundDialback, InvalidAndUnverifiableVerdictsRefuseThePair) {  // examples 12, §2.4
  open();
  const auto req = example("01-initiating-server-sends-dialback-key-step-1").verify.at(0);
  const auto a = stream.on_dialback_verdict(req, DialbackOutcome::invalid, kT0);
  EXPECT_EQ(a.write, "<db:result from='montague.example' to='capulet.example' type='invalid'/>");
  EXPECT_EQ(a.refused.at(0).reason, "dialback_invalid");
  EXPECT_FALSE(a.close);  // other pairs may still authenticate on this stream
  const auto again = example("01-initiating-server-sends-dialback-key-step-1").verify.at(0);
  EXPECT_NE(stream.on_dialback_verdict(again, DialbackOutcome::error, kT0)
                .write.find("<remote-server-not-found "),
            std::string::npos);
}

TEST_F(InboundDialback, UnknownReceivingDomainGetsItemNotFound) {  // example 10
  open();
  const auto a = stream.on_bytes(
      "<db:result from='capulet.example' to='elsewhere.example'>abc</db:result>", kT0);
  EXPECT_EQ(a.write,
            "<db:result from='elsewhere.example' to='capulet.example' type='error'>"
            "<error type='cancel'><item-not-found "
            "xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></db:result>");
  EXPECT_TRUE(a.verify.empty());
}

TEST_F(InboundDialback, CertificateOnlyPartnerMayNotUseDialback) {
  config->partner_profile = [](std::string_view) {
    return std::optional<PartnerProfile>(PartnerProfile{true, true, true, {}});
  };
  config->tls_available = true;
  config->security.require_valid_certificates = false;
  open();
  const auto a = stream.on_bytes("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>", kT0);
  stream.on_tls_established(valid_cert("capulet.example"), kT0);
  auto b = stream.on_bytes(peer_header("capulet.example", "montague.example"), kT0);
  b = example("01-initiating-server-sends-dialback-key-step-1");
  EXPECT_TRUE(a.start_tls);
  EXPECT_EQ(b.refused.at(0).reason, "dialback_not_allowed");
}

TEST_F(InboundDialback, CertificateOnlyPartnerWithAnotherNameIsRefusedAtTls) {
  config->partner_profile = [](std::string_view) {
    return std::optional<PartnerProfile>(PartnerProfile{true, true, true, {}});
  };
  config->tls_available = true;
  config->security.require_valid_certificates = false;  // the profile still requires one
  open();
  stream.on_bytes("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>", kT0);
  const auto a = stream.on_tls_established(TlsFacts{true, {}, {"other.example"}, {}}, kT0);
  ASSERT_TRUE(a.close);
  EXPECT_EQ(a.close->reason, "cert_name_mismatch");
}

TEST_F(InboundDialback, AValidCertificateSettlesDialbackAtOnce) {  // XEP-0344 §2.4
  config->tls_available = true;
  open();
  stream.on_bytes("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>", kT0);
  stream.on_tls_established(valid_cert("capulet.example"), kT0);
  stream.on_bytes(peer_header("capulet.example", "montague.example"), kT0);
  const auto a = example("01-initiating-server-sends-dialback-key-step-1");
  EXPECT_TRUE(a.verify.empty());
  EXPECT_EQ(a.write, "<db:result from='montague.example' to='capulet.example' type='valid'/>");
}

TEST_F(InboundDialback, DirectTlsOffersNoStartTls) {  // XEP-0368
  config->tls_available = true;
  EXPECT_TRUE(stream.on_tls_established(valid_cert("capulet.example"), kT0).write.empty());
  const auto a = open();
  EXPECT_EQ(a.write.find("starttls"), std::string::npos);
  EXPECT_NE(a.write.find("<mechanism>EXTERNAL</mechanism>"), std::string::npos);
}

TEST_F(InboundDialback, SeveralPairsOnOneStreamAndStanzasPerPair) {  // XEP-0220 §2.1 mux
  authenticate();
  const auto req = stream.on_bytes(
      "<db:result from='chat.capulet.example' to='montague.example'>k2</db:result>", kT0);
  ASSERT_EQ(req.verify.size(), 1u);
  EXPECT_EQ(req.verify[0].originating, "chat.capulet.example");
  stream.on_dialback_verdict(req.verify[0], DialbackOutcome::valid, kT0);
  EXPECT_EQ(message("juliet@capulet.example/b", "romeo@montague.example").stanzas.size(), 1u);
  const auto a = message("nurse@chat.capulet.example", "romeo@montague.example");
  ASSERT_EQ(a.stanzas.size(), 1u);
  EXPECT_EQ(a.stanzas[0].child("body")->text_content(), "hi");
}

TEST_F(InboundDialback, AnswersVerifyRequestsAsTheAuthoritativeServer) {  // examples 13, 15, 16
  open();
  const std::string key = dialback_key(kSecret, "capulet.example", "montague.example", "417GAF25");
  const std::string good =
      "<db:verify from='capulet.example' id='417GAF25' "
      "to='montague.example'>\n  " +
      key + "\n</db:verify>";
  EXPECT_EQ(stream.on_bytes(good, kT0).write,
            "<db:verify from='montague.example' to='capulet.example' id='417GAF25' type='valid'/>");
  EXPECT_EQ(example("13-authoritative-server-receives-verification-request-from-rece").write,
            "<db:verify from='montague.example' to='capulet.example' id='417GAF25' "
            "type='invalid'/>");
}

TEST_F(InboundDialback, VerifyForADomainWeDoNotHostGetsItemNotFound) {  // example 14
  open();
  const auto a = stream.on_bytes(
      "<db:verify from='capulet.example' id='417GAF25' "
      "to='nowhere.example'>abc</db:verify>",
      kT0);
  EXPECT_EQ(a.write,
            "<db:verify from='nowhere.example' to='capulet.example' id='417GAF25' "
            "type='error'><error type='cancel'><item-not-found "
            "xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></db:verify>");
}

TEST_F(InboundDialback, StreamManagementCountsHandledStanzas) {  // XEP-0198 §3, §4
  open();
  EXPECT_EQ(stream.on_bytes("<enable xmlns='urn:xmpp:sm:3'/>", kT0).write,
            "<failed xmlns='urn:xmpp:sm:3'><unexpected-request "
            "xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></failed>");  // before auth
  const auto req = example("01-initiating-server-sends-dialback-key-step-1").verify.at(0);
  stream.on_dialback_verdict(req, DialbackOutcome::valid, kT0);
  EXPECT_EQ(stream.on_bytes("<enable xmlns='urn:xmpp:sm:3'/>", kT0).write,
            "<enabled xmlns='urn:xmpp:sm:3'/>");
  message("juliet@capulet.example", "romeo@montague.example");
  message("juliet@capulet.example", "romeo@montague.example");
  EXPECT_EQ(stream.on_bytes("<r xmlns='urn:xmpp:sm:3'/>", kT0).write,
            "<a xmlns='urn:xmpp:sm:3' h='2'/>");
}

}  // namespace
}  // namespace fedgate::xmpp
