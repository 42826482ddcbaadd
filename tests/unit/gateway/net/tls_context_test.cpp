// Real TLS handshakes over loopback, one per refusal reason, each asserting the reason.
#include <gtest/gtest.h>

#include "gateway/net/test_pki.hpp"
#include "tls_harness.hpp"

namespace fedgate::gateway {
namespace {

class TlsContextTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto made = TestCa::create(dir_.path());
    ASSERT_TRUE(made);
    ca_ = *made;
  }
  TlsIdentity identity(std::string_view name, const TestCertSpec& spec) {
    auto cert = ca_.issue(name, spec);
    EXPECT_TRUE(cert) << cert.error().message();
    return cert ? TlsIdentity{cert->cert, cert->key} : TlsIdentity{};
  }
  TlsSettings settings(TlsIdentity id) {
    TlsSettings s;
    s.identity = std::move(id);
    s.ca = ca_.cert_pem();
    return s;
  }
  // Server a.example, client b.example; each expects the other's name.
  HandshakeOutcome handshake(const TlsSettings& server, const TlsSettings& client,
                             PeerPolicy server_policy = client_of("b.example"),
                             PeerPolicy client_policy = server_of("a.example")) {
    auto s = TlsContext::server(server);
    auto c = TlsContext::client(client);
    EXPECT_TRUE(s && c);
    return run_handshake(*s, *c, client_policy.domain, server_policy, client_policy);
  }
  static PeerPolicy client_of(std::string domain) {
    return PeerPolicy{PeerRole::client, std::move(domain)};
  }
  static PeerPolicy server_of(std::string domain) {
    return PeerPolicy{PeerRole::server, std::move(domain)};
  }
  TlsSettings server_a() { return settings(identity("a", good_spec("a.example"))); }
  TestDir dir_;
  TestCa ca_;
};

TEST_F(TlsContextTest, MutualTlsValidatesBothSides) {
  auto out = handshake(server_a(), settings(identity("b", good_spec("b.example"))));
  ASSERT_FALSE(out.server.handshake) << out.server.handshake.message();
  ASSERT_TRUE(out.server.peer) << out.server.peer.error().message();
  ASSERT_TRUE(out.client.peer) << out.client.peer.error().message();
  EXPECT_EQ(out.server.peer->names, std::vector<std::string>{"b.example"});
  EXPECT_EQ(out.client.peer->names, std::vector<std::string>{"a.example"});
  EXPECT_EQ(out.server.server_name, "a.example");
  EXPECT_EQ(out.server.protocol, "TLSv1.3");
}

TEST_F(TlsContextTest, ExpiredClientCertificateIsRefusedAsExpired) {
  auto out = handshake(server_a(), settings(identity("b", expired_spec("b.example"))));
  ASSERT_FALSE(out.server.handshake);
  EXPECT_EQ(out.server.peer.error(), CertErrc::expired);
}

TEST_F(TlsContextTest, CertificateFromAnotherCaIsAnUntrustedIssuer) {
  TestDir other_dir;
  auto other = TestCa::create(other_dir.path(), "other-ca");
  ASSERT_TRUE(other);
  auto cert = other->issue("b", good_spec("b.example"));
  ASSERT_TRUE(cert);
  auto out = handshake(server_a(), settings({cert->cert, cert->key}));
  ASSERT_FALSE(out.server.handshake);
  EXPECT_EQ(out.server.peer.error(), CertErrc::untrusted_issuer);
}

TEST_F(TlsContextTest, SelfSignedServerIsAnUntrustedIssuer) {
  auto out = handshake(settings(identity("a", self_signed_spec("a.example"))),
                       settings(identity("b", good_spec("b.example"))));
  ASSERT_FALSE(out.client.handshake);
  EXPECT_EQ(out.client.peer.error(), CertErrc::untrusted_issuer);
}

TEST_F(TlsContextTest, ServerCoveringAnotherNameIsANameMismatch) {
  auto out = handshake(server_a(), settings(identity("b", good_spec("b.example"))),
                       client_of("b.example"), server_of("c.example"));
  ASSERT_FALSE(out.client.handshake);
  EXPECT_EQ(out.client.peer.error(), CertErrc::name_mismatch);
}

TEST_F(TlsContextTest, ClientAuthOnlyServerLacksTheServerUsage) {
  auto out = handshake(settings(identity("a", client_auth_only_spec("a.example"))),
                       settings(identity("b", good_spec("b.example"))));
  ASSERT_FALSE(out.client.handshake);
  EXPECT_EQ(out.client.peer.error(), CertErrc::missing_usage);
}

TEST_F(TlsContextTest, ServerAuthOnlyClientIsAcceptedOnlyWhenThePolicySaysSo) {
  auto client = settings(identity("b", server_auth_only_spec("b.example")));
  auto lenient = handshake(server_a(), client);
  EXPECT_TRUE(lenient.server.peer);
  PeerPolicy strict = client_of("b.example");
  strict.accept_server_auth_only = false;
  auto refused = handshake(server_a(), client, strict);
  ASSERT_FALSE(refused.server.handshake);
  EXPECT_EQ(refused.server.peer.error(), CertErrc::missing_usage);
}

TEST_F(TlsContextTest, PinnedFingerprintMustMatch) {
  auto b = ca_.issue("b", good_spec("b.example"));
  ASSERT_TRUE(b);
  PeerPolicy pinned = client_of("b.example");
  pinned.pinned_sha256 = b->sha256_fingerprint;
  EXPECT_TRUE(handshake(server_a(), settings({b->cert, b->key}), pinned).server.peer);
  pinned.pinned_sha256 = std::string(64, '0');
  auto out = handshake(server_a(), settings({b->cert, b->key}), pinned);
  EXPECT_EQ(out.server.peer.error(), CertErrc::pin_mismatch);
}

TEST_F(TlsContextTest, ClientWithoutCertificateIsReportedAsSuch) {
  auto out = handshake(server_a(), settings({}));
  ASSERT_FALSE(out.server.handshake) << out.server.handshake.message();
  EXPECT_EQ(out.server.peer.error(), CertErrc::no_peer_certificate);
}

}  // namespace
}  // namespace fedgate::gateway
