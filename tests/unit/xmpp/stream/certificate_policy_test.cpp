// Certificate policy of s2s streams (RFC 6120 §5.3.1, §13.7.2; RFC 6125 §6; XEP-0178;
// XEP-0220): when a certificate must authenticate the peer, dialback is no way around a failed
// check; refusals carry the expected and presented names for the log; every authenticated pair
// says how it was authenticated. fedgate is montague.example, the peer capulet.example.
#include <gtest/gtest.h>

#include "tests/unit/xmpp/stream/stream_test_support.hpp"
#include "xmpp/stream/inbound_stream.hpp"
#include "xmpp/stream/outbound_stream.hpp"

namespace fedgate::xmpp {
namespace {

using namespace test;

constexpr std::string_view kStartTls = "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>";
constexpr std::string_view kDbResult =
    "<db:result from='capulet.example' to='montague.example'>abc</db:result>";

TlsFacts rogue_cert(std::string domain) {
  TlsFacts f;
  f.chain_failure = "untrusted_issuer";
  f.identities = {std::move(domain)};
  f.issuer = "CN=rogue CA";
  return f;
}

std::string header_without_from() {
  return "<?xml version='1.0'?><stream:stream" + std::string(kStreamNs) +
         " to='montague.example' version='1.0'>";
}

class InboundCertificates : public ::testing::Test {
 protected:
  InboundCertificates() : config(make_config({"montague.example"})) {}
  StreamActions bytes(std::string_view b) { return stream.on_bytes(b, kT0); }
  // The peer's header (without 'from' when `from` is empty), STARTTLS, the handshake, and
  // the header again over TLS.
  StreamActions through_tls(TlsFacts facts, std::string_view from = "capulet.example") {
    const std::string header =
        from.empty() ? header_without_from() : peer_header(from, "montague.example");
    bytes(header);
    bytes(kStartTls);
    auto a = stream.on_tls_established(std::move(facts), kT0);
    append(a, bytes(header));
    return a;
  }
  std::shared_ptr<StreamConfig> config;
  InboundStream stream{config, kT0};
};

TEST_F(InboundCertificates, AnUntrustedChainIsRefusedNamingTheIssuer) {
  const auto a = through_tls(rogue_cert("capulet.example"));
  ASSERT_TRUE(a.close);
  EXPECT_EQ(*a.close, (StreamClose{StreamErrc::policy_violation, "cert_untrusted_issuer",
                                   "expected capulet.example; presented capulet.example; "
                                   "chain untrusted_issuer; issuer CN=rogue CA"}));
  EXPECT_EQ(a.write.find("dialback'><errors/>"), std::string::npos);  // no features at all
}

TEST_F(InboundCertificates, DialbackCannotAuthenticateADomainTheCertificateDoesNotName) {
  const auto tls = through_tls(valid_cert("other.example"), "");  // no 'from': no name yet
  EXPECT_FALSE(tls.close);
  const auto a = bytes(kDbResult);
  EXPECT_TRUE(a.verify.empty());
  EXPECT_NE(a.write.find("type='error'><error type='cancel'><not-authorized "), std::string::npos);
  EXPECT_EQ(a.refused, (std::vector<Refusal>{{{"montague.example", "capulet.example"},
                                              "cert_name_mismatch",
                                              "expected capulet.example; presented "
                                              "other.example; chain valid"}}));
}

TEST_F(InboundCertificates, TheHeaderOverTlsMustNameTheCertifiedDomain) {
  bytes(peer_header("capulet.example", "montague.example"));
  bytes(kStartTls);
  EXPECT_FALSE(stream.on_tls_established(valid_cert("capulet.example"), kT0).close);
  const auto a = bytes(peer_header("evil.example", "montague.example"));
  ASSERT_TRUE(a.close);
  EXPECT_EQ(a.close->reason, "cert_name_mismatch");
  EXPECT_EQ(a.close->detail, "expected evil.example; presented capulet.example; chain valid");
}

TEST_F(InboundCertificates, WithoutRequiredCertificatesDialbackFollowsAnUntrustedChain) {
  config->security.require_valid_certificates = false;
  const auto tls = through_tls(rogue_cert("capulet.example"));
  EXPECT_FALSE(tls.close);
  EXPECT_EQ(tls.write.find("EXTERNAL"), std::string::npos);
  const auto asked = bytes(kDbResult);
  ASSERT_EQ(asked.verify.size(), 1u);
  const auto a = stream.on_dialback_verdict(asked.verify[0], DialbackOutcome::valid, kT0);
  EXPECT_EQ(a.authenticated, (std::vector<Authenticated>{
                                 {{"montague.example", "capulet.example"}, AuthMethod::dialback}}));
}

TEST_F(InboundCertificates, ACertificateThatNamesTheDomainSettlesDialback) {  // XEP-0344
  through_tls(valid_cert("capulet.example"));
  const auto a = bytes(kDbResult);
  EXPECT_TRUE(a.verify.empty());
  EXPECT_EQ(a.authenticated, (std::vector<Authenticated>{{{"montague.example", "capulet.example"},
                                                          AuthMethod::certificate}}));
}

TEST_F(InboundCertificates, APeerThatLeavesInsteadOfStartingTlsIsATlsRefusal) {
  config->security.tls_mode = TlsMode::tls_required;
  bytes(peer_header("capulet.example", "montague.example"));
  const auto a = bytes(
      "<stream:error><unsupported-feature xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"
      "</stream:error>");
  ASSERT_TRUE(a.close);
  EXPECT_FALSE(a.close->error);  // the peer's error, not ours
  EXPECT_EQ(a.refused, (std::vector<Refusal>{{{"montague.example", "capulet.example"},
                                              "tls_required",
                                              "the peer closed the stream without starting TLS "
                                              "(peer_error_unsupported_feature)"}}));
}

TEST_F(InboundCertificates, APeerLeavingAfterTlsIsNoTlsRefusal) {
  config->security.tls_mode = TlsMode::tls_required;
  through_tls(valid_cert("capulet.example"));
  const auto a = bytes("</stream:stream>");
  ASSERT_TRUE(a.close);
  EXPECT_TRUE(a.refused.empty());
}

class OutboundCertificates : public ::testing::Test {
 protected:
  OutboundCertificates() : config(make_config({"montague.example"})) {}
  StreamActions bytes(std::string_view b) { return stream.on_bytes(b, kT0); }
  // Header, features offering STARTTLS and dialback, <proceed/>, then the handshake.
  StreamActions through_tls(TlsFacts facts) {
    stream.start(kT0);
    bytes(peer_header("capulet.example", "montague.example", "s1"));
    bytes("<stream:features>" + std::string(kStartTls) + std::string(kDialbackFeature) +
          "</stream:features>");
    EXPECT_TRUE(bytes("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>").start_tls);
    return stream.on_tls_established(std::move(facts), kT0);
  }
  std::shared_ptr<StreamConfig> config;
  OutboundStream stream{config, DomainPair{"montague.example", "capulet.example"}, kT0};
};

TEST_F(OutboundCertificates, AnUntrustedReceivingServerIsRefusedBeforeAnyDialback) {
  const auto a = through_tls(rogue_cert("capulet.example"));
  ASSERT_TRUE(a.close);
  EXPECT_EQ(a.close->reason, "cert_untrusted_issuer");
  EXPECT_EQ(a.close->detail,
            "expected capulet.example; presented capulet.example; chain untrusted_issuer; "
            "issuer CN=rogue CA");
  EXPECT_EQ(a.write.find("db:result"), std::string::npos);
}

TEST_F(OutboundCertificates, WithoutRequiredCertificatesDialbackFollows) {
  config->security.require_valid_certificates = false;
  EXPECT_FALSE(through_tls(rogue_cert("capulet.example")).close);
  bytes(peer_header("capulet.example", "montague.example", "s2"));
  const auto asked =
      bytes("<stream:features>" + std::string(kDialbackFeature) + "</stream:features>");
  EXPECT_NE(asked.write.find("<db:result from='montague.example' to='capulet.example'>"),
            std::string::npos);
  const auto a = bytes("<db:result from='capulet.example' to='montague.example' type='valid'/>");
  EXPECT_EQ(a.authenticated, (std::vector<Authenticated>{
                                 {{"montague.example", "capulet.example"}, AuthMethod::dialback}}));
}

TEST_F(OutboundCertificates, ACertificateOnlyPartnerStillNeedsAValidCertificate) {
  config->security.require_valid_certificates = false;
  config->partner_profile = [](std::string_view) {
    return std::optional<PartnerProfile>(PartnerProfile{true, true, false, {}});
  };
  OutboundStream strict{config, DomainPair{"montague.example", "capulet.example"}, kT0};
  strict.start(kT0);
  strict.on_bytes(peer_header("capulet.example", "montague.example", "s1"), kT0);
  strict.on_bytes("<stream:features>" + std::string(kStartTls) + "</stream:features>", kT0);
  strict.on_bytes("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>", kT0);
  const auto a = strict.on_tls_established(rogue_cert("capulet.example"), kT0);
  ASSERT_TRUE(a.close);
  EXPECT_EQ(a.close->reason, "cert_untrusted_issuer");
}

}  // namespace
}  // namespace fedgate::xmpp
