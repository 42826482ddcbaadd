// Older Microsoft servers (OCS 2007 R2, Lync 2010 on older Windows) negotiate only non-EC RSA
// key exchange suites such as TLS_RSA_WITH_AES_256_CBC_SHA under TLS 1.2. With an RSA
// certificate, fedgate's default TLS settings accept such a peer and can dial one; with an
// EC certificate no such suite can be agreed. Mutual TLS over loopback.
#include <gtest/gtest.h>

#include "sip/codec/parser.hpp"
#include "transport_harness.hpp"

namespace fedgate::sip::test {
namespace {

namespace asio = boost::asio;

// What an old Microsoft server offers and accepts: TLS 1.2, TLS_RSA_WITH_AES_256_CBC_SHA only.
gateway::TlsSettings old_microsoft(const Pki& pki, const std::string& name) {
  auto s = pki.settings(name);
  s.max_version = gateway::TlsVersion::tls1_2;
  s.cipher_list = "AES256-SHA";
  return s;
}

// a sends one OPTIONS to b over mutual TLS; true when b received it.
bool options_reach(asio::io_context& io, Side& a, Side& b) {
  auto work = [&]() -> asio::awaitable<void> {
    auto conn = co_await a.pool.connect(PeerKey("127.0.0.1", b.port(), Transport::tls));
    if (conn) {
      auto request = parse_message(options_request("cipher-1"));
      EXPECT_TRUE(request && conn->send(*request));
    }
    std::function<bool()> done = [&] {
      return !b.handler.received.empty() || b.refused("handshake_failed") >= 1;
    };
    co_await wait_until(done);
  };
  return run(io, work(), {&a, &b}) && !b.handler.received.empty();
}

TEST(SipTlsCiphers, AnOldMicrosoftClientIsAcceptedWithAnRsaCertificate) {
  Pki pki(gateway::KeyType::rsa_2048);
  asio::io_context io;
  Side ocs(io, old_microsoft(pki, "a")), fedgate(io, pki.settings("b"));
  ASSERT_TRUE(fedgate.start());
  EXPECT_TRUE(options_reach(io, ocs, fedgate));
}

TEST(SipTlsCiphers, FedgateDialsAnOldMicrosoftServerWithAnRsaCertificate) {
  Pki pki(gateway::KeyType::rsa_2048);
  asio::io_context io;
  Side fedgate(io, pki.settings("a")), ocs(io, old_microsoft(pki, "b"));
  ASSERT_TRUE(ocs.start());
  EXPECT_TRUE(options_reach(io, fedgate, ocs));
}

TEST(SipTlsCiphers, WithAnEcCertificateNoRsaKeyExchangeSuiteCanBeAgreed) {
  Pki pki(gateway::KeyType::ec_p256);
  asio::io_context io;
  Side ocs(io, old_microsoft(pki, "a")), fedgate(io, pki.settings("b"));
  ASSERT_TRUE(fedgate.start());
  EXPECT_FALSE(options_reach(io, ocs, fedgate));
  EXPECT_EQ(fedgate.refused("handshake_failed"), 1);
}

}  // namespace
}  // namespace fedgate::sip::test
