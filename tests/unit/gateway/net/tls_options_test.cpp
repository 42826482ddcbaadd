// TLS options over real loopback handshakes: SNI certificate choice, TLS 1.2-only, non-EC
// cipher suites, strict in-handshake verification, and bad settings refused up front.
#include <gtest/gtest.h>

#include "gateway/net/test_pki.hpp"
#include "tls_harness.hpp"

namespace fedgate::gateway {
namespace {

class TlsOptionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto made = TestCa::create(dir_.path());
    ASSERT_TRUE(made);
    ca_ = *made;
  }
  TlsSettings settings(std::string_view name, TestCertSpec spec) {
    auto cert = ca_.issue(name, spec);
    EXPECT_TRUE(cert);
    TlsSettings s;
    s.identity = cert ? TlsIdentity{cert->cert, cert->key} : TlsIdentity{};
    s.ca = ca_.cert_pem();
    return s;
  }
  HandshakeOutcome handshake(const TlsSettings& server, const TlsSettings& client,
                             const std::string& sni) {
    auto s = TlsContext::server(server);
    auto c = TlsContext::client(client);
    EXPECT_TRUE(s && c);
    return run_handshake(*s, *c, sni, PeerPolicy{PeerRole::client, ""},
                         PeerPolicy{PeerRole::server, sni});
  }
  TestDir dir_;
  TestCa ca_;
};

TEST_F(TlsOptionsTest, SniPicksTheCertificateOfTheRequestedDomain) {
  auto server = settings("a", good_spec("a.example"));
  auto other = settings("b", good_spec("b.example"));
  server.sni_identities.push_back(other.identity);
  auto client = settings("c", good_spec("c.example"));
  auto to_b = handshake(server, client, "b.example");
  ASSERT_TRUE(to_b.client.peer) << to_b.client.peer.error().message();
  EXPECT_EQ(to_b.server.server_name, "b.example");
  EXPECT_EQ(to_b.server.peer->names, std::vector<std::string>{"c.example"});
  auto to_a = handshake(server, client, "a.example");
  EXPECT_TRUE(to_a.client.peer);
  EXPECT_EQ(handshake(server, client, "z.example").client.peer.error(), CertErrc::name_mismatch);
}

TEST_F(TlsOptionsTest, Tls12OnlyServerNegotiatesTls12) {
  auto server = settings("a", good_spec("a.example"));
  server.max_version = TlsVersion::tls1_2;
  auto out = handshake(server, settings("c", good_spec("c.example")), "a.example");
  ASSERT_FALSE(out.client.handshake);
  EXPECT_EQ(out.client.protocol, "TLSv1.2");
  EXPECT_TRUE(out.client.peer);
}

TEST_F(TlsOptionsTest, Tls13OnlyClientCannotTalkToATls12OnlyServer) {
  auto server = settings("a", good_spec("a.example"));
  server.max_version = TlsVersion::tls1_2;
  auto client = settings("c", good_spec("c.example"));
  client.min_version = TlsVersion::tls1_3;
  auto out = handshake(server, client, "a.example");
  EXPECT_TRUE(out.client.handshake);
  EXPECT_TRUE(out.server.handshake);
}

TEST_F(TlsOptionsTest, NonEcCipherSuiteWithAnRsaCertificate) {
  TestCertSpec rsa = good_spec("a.example");
  rsa.key_type = KeyType::rsa_2048;
  auto server = settings("a", rsa);
  server.max_version = TlsVersion::tls1_2;
  server.cipher_list = "AES256-GCM-SHA384";  // RSA key exchange: no ECDHE
  auto out = handshake(server, settings("c", good_spec("c.example")), "a.example");
  ASSERT_FALSE(out.client.handshake) << out.client.handshake.message();
  EXPECT_EQ(out.client.cipher, "AES256-GCM-SHA384");
}

TEST_F(TlsOptionsTest, StrictVerificationFailsTheHandshakeItself) {
  auto server = settings("a", good_spec("a.example"));
  server.verify_in_handshake = true;
  auto out = handshake(server, settings("c", expired_spec("c.example")), "a.example");
  EXPECT_TRUE(out.server.handshake);
}

TEST_F(TlsOptionsTest, BadSettingsAreRefusedWithTheReason) {
  auto s = settings("a", good_spec("a.example"));
  s.cipher_list = "NO-SUCH-CIPHER";
  EXPECT_EQ(TlsContext::server(s).error(), CertErrc::bad_cipher_list);
  s = settings("a", good_spec("a.example"));
  s.min_version = TlsVersion::tls1_3;
  s.max_version = TlsVersion::tls1_2;
  EXPECT_EQ(TlsContext::server(s).error(), CertErrc::bad_protocol_range);
  s = settings("a", good_spec("a.example"));
  s.identity.key = settings("b", good_spec("b.example")).identity.key;
  EXPECT_EQ(TlsContext::server(s).error(), CertErrc::key_mismatch);
  s.identity.cert = dir_.path() / "missing.pem";
  EXPECT_EQ(TlsContext::client(s).error(), CertErrc::unreadable);
}

}  // namespace
}  // namespace fedgate::gateway
