// Security settings replaced while the pool and the listener run (S2sConfig::stream, an
// atomic SharedStreamConfig): new streams in either direction start with the settings stored
// last, established streams keep what they negotiated (RFC 6120 §5.3.1 TLS required).
#include <gtest/gtest.h>

#include "s2s_harness.hpp"

namespace fedgate::xmpp::test {
namespace {

const DomainPair kAtoB{"a.example", "b.example"};
const DomainPair kCtoB{"c.example", "b.example"};

// Stores a copy of `side`'s current StreamConfig with TLS required (no TLS is configured on a
// dialback-only side: every new stream is refused).
void require_tls(Side& side) {
  auto c = std::make_shared<StreamConfig>(*side.config.stream.load());
  c->security.tls_mode = TlsMode::tls_required;
  side.config.stream.store(c);
}

TEST(S2sLiveSettings, NewInboundStreamsUseTheStoredSettingsEstablishedOnesKeepTheirs) {
  Pki pki;
  boost::asio::io_context io;
  Side a(io, pki, "a.example", "a");
  Side b(io, pki, "b.example", "b");
  Side c(io, pki, "c.example", "a");
  a.dialback_only();
  b.dialback_only();
  c.dialback_only();
  const auto b_port = b.listen();
  a.route("b.example", b_port);
  c.route("b.example", b_port);
  b.route("a.example", a.listen());
  a.pool->send(kAtoB, chat("alice@a.example/r", "bob@b.example", "before"));
  ASSERT_TRUE(run_until(io, [&] { return b.handler.stanzas.size() == 1; }));
  require_tls(b);
  a.pool->send(kAtoB, chat("alice@a.example/r", "bob@b.example", "after, same stream"));
  c.pool->send(kCtoB, chat("carol@c.example/r", "bob@b.example", "after, new stream"));
  ASSERT_TRUE(run_until(io, [&] { return b.handler.stanzas.size() == 2 && !c.bounced.empty(); }));
  EXPECT_EQ(b.handler.stanzas.at(1).child("body")->text, "after, same stream");
  EXPECT_TRUE(a.bounced.empty());
  // TLS required and none configured on b: refused with the reason that says so.
  EXPECT_EQ(b.metric("fedgate_xmpp_s2s_refused_total", {{"reason", "tls_required_unavailable"}}),
            1);
  EXPECT_EQ(a.pool->streams(), 1u);  // the stream of "before" carried "after, same stream"
}

TEST(S2sLiveSettings, NewOutboundStreamsUseTheStoredSettings) {
  Pki pki;
  boost::asio::io_context io;
  Side a(io, pki, "a.example", "a");
  Side b(io, pki, "b.example", "b");
  dialback_pair(a, b);
  require_tls(a);  // after the pool was built: read when the stream starts
  a.pool->send(kAtoB, chat("alice@a.example/r", "bob@b.example", "needs TLS"));
  ASSERT_TRUE(run_until(io, [&] { return !a.bounced.empty(); }));
  EXPECT_TRUE(b.handler.stanzas.empty());
  EXPECT_EQ(a.metric("fedgate_xmpp_s2s_refused_total", {{"reason", "tls_not_offered"}}), 1);
}

TEST(S2sLiveSettings, ACopyOfTheConfigHoldsTheSameSnapshot) {
  SharedStreamConfig shared = std::make_shared<const StreamConfig>();
  const SharedStreamConfig copy = shared;
  EXPECT_EQ(copy.load(), shared.load());
  auto next = std::make_shared<const StreamConfig>();
  shared.store(next);
  EXPECT_EQ(shared.load(), next);
  EXPECT_NE(copy.load(), next);  // a copy is a separate cell, not an alias
}

}  // namespace
}  // namespace fedgate::xmpp::test
