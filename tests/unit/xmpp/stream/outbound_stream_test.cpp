// OutboundStream driven by the XEP-0178 server-to-server transcript, from the initiating
// side: fedgate is conference.example.org; example.com's bytes are examples 19–28.
#include "xmpp/stream/outbound_stream.hpp"

#include <gtest/gtest.h>

#include "tests/unit/xmpp/stream/stream_test_support.hpp"
#include "xmpp/stream/dialback_key.hpp"

namespace fedgate::xmpp {
namespace {

using namespace test;

constexpr std::string_view kExternalFeatures =
    "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>"
    "<mechanism>EXTERNAL</mechanism></mechanisms>"
    "<dialback xmlns='urn:xmpp:features:dialback'/></stream:features>";

class OutboundXep0178 : public ::testing::Test {
 protected:
  OutboundXep0178() : config(make_config({"conference.example.org"})) {}
  StreamActions feed(const std::string& example) {
    return stream.on_bytes(
        transcript("xep0178/" + example + "-server-to-server-recommendation.xml"), kT0);
  }
  StreamActions bytes(std::string_view b) { return stream.on_bytes(b, kT0); }
  // Header, STARTTLS, TLS, the second header: up to the SASL features.
  void through_tls() {
    stream.start(kT0);
    feed("19");
    feed("20");
    feed("22");
    stream.on_tls_established(valid_cert("example.com"), kT0);
    feed("24");
  }
  std::shared_ptr<StreamConfig> config;
  OutboundStream stream{config, DomainPair{"conference.example.org", "example.com"}, kT0};
};

TEST_F(OutboundXep0178, StartsWithOurHeader) {
  EXPECT_EQ(stream.start(kT0).write, our_header("conference.example.org", "example.com", ""));
  EXPECT_EQ(stream.state(), OutboundState::awaiting_header);
}

TEST_F(OutboundXep0178, RequestsTlsAndRestartsTheStreamOverIt) {  // examples 20–23
  stream.start(kT0);
  EXPECT_TRUE(feed("19").write.empty());
  EXPECT_EQ(feed("20").write, "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
  EXPECT_TRUE(feed("22").start_tls);
  EXPECT_EQ(stream.state(), OutboundState::tls_handshake);
  const auto a = stream.on_tls_established(valid_cert("example.com"), kT0);
  EXPECT_EQ(a.write, our_header("conference.example.org", "example.com", ""));
}

TEST_F(OutboundXep0178, AuthenticatesWithExternalAndItsDomainAsAuthzid) {
  through_tls();
  EXPECT_EQ(stream.stream_id(), "s2s_345");
  EXPECT_EQ(bytes(kExternalFeatures).write,
            "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='EXTERNAL'>"
            "Y29uZmVyZW5jZS5leGFtcGxlLm9yZw==</auth>");
  const auto a = feed("27");  // <success/>
  EXPECT_EQ(a.authenticated, (std::vector<Authenticated>{{{"conference.example.org", "example.com"},
                                                          AuthMethod::sasl_external}}));
  EXPECT_EQ(a.write, our_header("conference.example.org", "example.com", ""));
}

TEST_F(OutboundXep0178, EnablesStreamManagementThenSends) {  // XEP-0198 §3
  through_tls();
  bytes(kExternalFeatures);
  feed("27");
  stream.send(Element("presence", "jabber:server"), 7, kT0);  // no 'from': waits
  feed("24");
  EXPECT_EQ(bytes("<stream:features><sm xmlns='urn:xmpp:sm:3'/></stream:features>").write,
            "<enable xmlns='urn:xmpp:sm:3'/>");
  EXPECT_TRUE(bytes("<enabled xmlns='urn:xmpp:sm:3'/>").write.empty());
  EXPECT_TRUE(stream.is_ready());
  EXPECT_TRUE(stream.sm_enabled());
  EXPECT_EQ(stream.waiting(), 1u);
}

TEST_F(OutboundXep0178, SaslFailureFallsBackToDialback) {  // example 28, XEP-0220
  through_tls();
  bytes(kExternalFeatures);
  const auto a = bytes(  // example 28 without its closing </stream:stream>
      "<failure xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><not-authorized/></failure>");
  EXPECT_EQ(a.write, "<db:result from='conference.example.org' to='example.com'>" +
                         dialback_key(kSecret, "example.com", "conference.example.org", "s2s_345") +
                         "</db:result>");
  EXPECT_EQ(stream.state(), OutboundState::dialback_requested);
}

TEST_F(OutboundXep0178, ACertificateForAnotherNameIsRefused) {  // RFC 6125 §6
  stream.start(kT0);
  feed("19");
  feed("20");
  feed("22");
  const auto a = stream.on_tls_established(valid_cert("example.org"), kT0);
  EXPECT_EQ(*a.close, (StreamClose{StreamErrc::policy_violation, "cert_name_mismatch",
                                   "expected example.com; presented example.org; chain valid"}));
  EXPECT_TRUE(
      a.write.ends_with("<policy-violation xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"
                        "</stream:error></stream:stream>"));
}

TEST_F(OutboundXep0178, AnExpiredCertificateIsRefusedWithThatReason) {
  stream.start(kT0);
  feed("19");
  feed("20");
  feed("22");
  const auto a = stream.on_tls_established(TlsFacts{false, "expired", {"example.com"}, {}}, kT0);
  EXPECT_EQ(a.close->reason, "cert_expired");
}

TEST_F(OutboundXep0178, TlsRequiredButNotOfferedIsRefused) {  // RFC 6120 §5.3.1
  config->security.tls_mode = TlsMode::tls_required;
  stream.start(kT0);
  feed("19");
  const auto a = bytes("<stream:features>" + std::string(kDialbackFeature) + "</stream:features>");
  EXPECT_EQ(*a.close, (StreamClose{StreamErrc::policy_violation, "tls_not_offered"}));
  EXPECT_TRUE(stream.take_unacked().empty());
}

TEST_F(OutboundXep0178, APinnedPartnerWithAnotherCertificateIsRefused) {
  config->partner_profile = [](std::string_view) {
    return std::optional<PartnerProfile>(PartnerProfile{false, false, true, "ffee"});
  };
  OutboundStream pinned{config, DomainPair{"conference.example.org", "example.com"}, kT0};
  pinned.start(kT0);
  pinned.on_bytes(transcript("xep0178/19-server-to-server-recommendation.xml") +
                      transcript("xep0178/20-server-to-server-recommendation.xml") +
                      transcript("xep0178/22-server-to-server-recommendation.xml"),
                  kT0);
  EXPECT_EQ(pinned.on_tls_established(valid_cert("example.com"), kT0).close->reason,
            "pin_mismatch");
}

}  // namespace
}  // namespace fedgate::xmpp
