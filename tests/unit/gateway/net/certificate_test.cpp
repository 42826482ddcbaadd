// Certificate inspection against files made by the test PKI: describe, key match, chain.
#include "gateway/net/certificate.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "gateway/net/test_pki.hpp"

namespace fedgate::gateway {
namespace {

class CertificateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto made = TestCa::create(dir_.path());
    ASSERT_TRUE(made) << made.error().message();
    ca_ = *made;
  }
  TestCert issue(std::string_view name, const TestCertSpec& spec) {
    auto cert = ca_.issue(name, spec);
    EXPECT_TRUE(cert) << cert.error().message();
    return cert ? *cert : TestCert{};
  }
  TestDir dir_;
  TestCa ca_;
};

TEST_F(CertificateTest, DescribeReadsNamesUsagesAndFingerprint) {
  TestCertSpec spec = good_spec("corp.example");
  spec.dns_names.push_back("*.Corp.Example");
  spec.xmpp_addrs = {"corp.example"};
  spec.srv_names = {"_xmpp-server.corp.example"};
  auto cert = issue("leaf", spec);
  auto info = read_certificate_file(cert.cert);
  ASSERT_TRUE(info) << info.error().message();
  EXPECT_EQ(info->dns_names, (std::vector<std::string>{"corp.example", "*.corp.example"}));
  EXPECT_EQ(info->xmpp_addrs, std::vector<std::string>{"corp.example"});
  EXPECT_EQ(info->srv_names, std::vector<std::string>{"_xmpp-server.corp.example"});
  EXPECT_TRUE(info->has_eku && info->server_auth && info->client_auth);
  EXPECT_EQ(info->sha256_fingerprint, cert.sha256_fingerprint);
  EXPECT_EQ(info->sha256_fingerprint.size(), 64u);
  EXPECT_NE(info->subject.find("CN=corp.example"), std::string::npos);
  EXPECT_NE(info->issuer.find("CN=test-ca"), std::string::npos);
  EXPECT_LT(info->not_before, std::chrono::system_clock::now());
  EXPECT_GT(info->not_after, std::chrono::system_clock::now());
}

TEST_F(CertificateTest, ServerAuthOnlyAndNoEkuAreReportedAsSuch) {
  auto server_only = read_certificate_file(issue("s", server_auth_only_spec("a.example")).cert);
  TestCertSpec no_eku = good_spec("a.example");
  no_eku.with_eku = false;
  auto none = read_certificate_file(issue("n", no_eku).cert);
  ASSERT_TRUE(server_only && none);
  EXPECT_TRUE(server_only->has_eku && server_only->server_auth);
  EXPECT_FALSE(server_only->client_auth);
  EXPECT_FALSE(none->has_eku);
}

TEST_F(CertificateTest, UnreadableAndNotPemFilesAreTold) {
  std::ofstream(dir_.path() / "garbage.pem") << "not a certificate\n";
  EXPECT_EQ(read_certificate_file(dir_.path() / "missing.pem").error(), CertErrc::unreadable);
  EXPECT_EQ(read_certificate_file(dir_.path() / "garbage.pem").error(), CertErrc::not_pem);
}

TEST_F(CertificateTest, KeyMatchesItsCertificateOnly) {
  auto a = issue("a", good_spec("a.example"));
  auto b = issue("b", good_spec("b.example"));
  EXPECT_TRUE(check_key_matches(a.cert, a.key));
  EXPECT_EQ(check_key_matches(a.cert, b.key).error(), CertErrc::key_mismatch);
  EXPECT_EQ(check_key_matches(a.cert, a.cert).error(), CertErrc::key_unreadable);
}

TEST_F(CertificateTest, RsaKeysWorkToo) {
  TestCertSpec spec = good_spec("rsa.example");
  spec.key_type = KeyType::rsa_2048;
  auto cert = issue("rsa", spec);
  EXPECT_TRUE(check_key_matches(cert.cert, cert.key));
  EXPECT_TRUE(verify_against_ca(cert.cert, ca_.cert_pem()));
}

TEST_F(CertificateTest, VerifyAgainstCaGivesThePreciseReason) {
  EXPECT_TRUE(verify_against_ca(issue("ok", good_spec("a.example")).cert, ca_.cert_pem()));
  EXPECT_EQ(verify_against_ca(issue("old", expired_spec("a.example")).cert, ca_.cert_pem()).error(),
            CertErrc::expired);
  EXPECT_EQ(
      verify_against_ca(issue("new", not_yet_valid_spec("a.example")).cert, ca_.cert_pem()).error(),
      CertErrc::not_yet_valid);
  EXPECT_EQ(
      verify_against_ca(issue("self", self_signed_spec("a.example")).cert, ca_.cert_pem()).error(),
      CertErrc::untrusted_issuer);
}

TEST_F(CertificateTest, AnotherCaIsAnUntrustedIssuer) {
  TestDir other_dir;
  auto other = TestCa::create(other_dir.path(), "other-ca");
  ASSERT_TRUE(other);
  auto cert = other->issue("leaf", good_spec("a.example"));
  ASSERT_TRUE(cert);
  EXPECT_EQ(verify_against_ca(cert->cert, ca_.cert_pem()).error(), CertErrc::untrusted_issuer);
  EXPECT_EQ(verify_against_ca(cert->cert, dir_.path() / "none.pem").error(),
            CertErrc::ca_unreadable);
}

}  // namespace
}  // namespace fedgate::gateway
