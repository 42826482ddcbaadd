// fedgate-to-fedgate s2s over loopback: an outbound pool stream of one side to the inbound
// listener of the other, with test PKI certificates and FakeResolver discovery.
#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>

#include "s2s_harness.hpp"
#include "xmpp/codec/stream_parser.hpp"

namespace fedgate::xmpp::test {
namespace {

namespace asio = boost::asio;
const DomainPair kAtoB{"a.example", "b.example"};

std::uint16_t closed_port() {
  asio::io_context io;
  asio::ip::tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
  return acceptor.local_endpoint().port();  // closed again when the acceptor goes
}

TEST(S2sTransport, StanzaCrossesTlsAndSaslExternal) {
  Pki pki;
  asio::io_context io;
  Side a(io, pki, "a.example", "a");
  Side b(io, pki, "b.example", "b");
  a.route("b.example", b.listen());
  a.pool->send(kAtoB, chat("alice@a.example/r", "bob@b.example", "hello over s2s"));
  ASSERT_TRUE(run_until(io, [&] { return !b.handler.stanzas.empty(); }));
  const Element& got = b.handler.stanzas.front();
  EXPECT_EQ(got.attr("from"), "alice@a.example/r");
  EXPECT_EQ(got.attr("to"), "bob@b.example");
  ASSERT_NE(got.child("body"), nullptr);
  EXPECT_EQ(got.child("body")->text, "hello over s2s");
  EXPECT_TRUE(a.bounced.empty());
  EXPECT_EQ(a.pool->streams(), 1u);
}

TEST(S2sTransport, OutboundStreamIsReusedForTheSamePair) {
  Pki pki;
  asio::io_context io;
  Side a(io, pki, "a.example", "a");
  Side b(io, pki, "b.example", "b");
  a.route("b.example", b.listen());
  a.pool->send(kAtoB, chat("alice@a.example", "bob@b.example", "one"));
  a.pool->send(kAtoB, chat("alice@a.example", "bob@b.example", "two"));
  ASSERT_TRUE(run_until(io, [&] { return b.handler.stanzas.size() == 2; }));
  EXPECT_EQ(b.handler.stanzas[1].child("body")->text, "two");
  EXPECT_EQ(a.metric("fedgate_xmpp_s2s_streams_total", {{"direction", "out"}}), 1);
  EXPECT_EQ(b.metric("fedgate_xmpp_s2s_streams_total", {{"direction", "in"}}), 1);
}

TEST(S2sTransport, DirectTlsPerXep0368) {
  Pki pki;
  asio::io_context io;
  Side a(io, pki, "a.example", "a");
  Side b(io, pki, "b.example", "b");
  a.route("b.example", b.listen(/*direct_tls=*/true), /*direct_tls=*/true);
  a.pool->send(kAtoB, chat("alice@a.example", "bob@b.example", "direct"));
  ASSERT_TRUE(run_until(io, [&] { return !b.handler.stanzas.empty(); }));
  EXPECT_EQ(b.handler.stanzas.front().child("body")->text, "direct");
}

TEST(S2sTransport, ConnectionRefusedBouncesWithRemoteServerNotFound) {
  Pki pki;
  asio::io_context io;
  Side a(io, pki, "a.example", "a");
  a.route("b.example", closed_port());
  a.pool->send(kAtoB, chat("alice@a.example", "bob@b.example", "nobody home"));
  ASSERT_TRUE(run_until(io, [&] { return !a.bounced.empty(); }));
  EXPECT_EQ(a.bounced.front().second, StanzaErrc::remote_server_not_found);
  EXPECT_EQ(a.bounced.front().first.child("body")->text, "nobody home");
  EXPECT_TRUE(run_until(io, [&] { return a.pool->streams() == 0; }));
  EXPECT_EQ(a.metric("fedgate_xmpp_s2s_bounced_total", {{"condition", "remote-server-not-found"}}),
            1);
}

TEST(S2sTransport, UntrustedServerCertificateIsRefusedWithItsReason) {
  Pki pki;
  asio::io_context io;
  Side a(io, pki, "a.example", "a");
  Side b(io, pki, "b.example", "b-self");
  a.route("b.example", b.listen());
  a.pool->send(kAtoB, chat("alice@a.example", "bob@b.example", "to an impostor"));
  ASSERT_TRUE(run_until(io, [&] { return !a.bounced.empty(); }));
  EXPECT_EQ(a.metric("fedgate_xmpp_s2s_refused_total", {{"reason", "cert_untrusted_issuer"}}), 1);
  EXPECT_EQ(a.bounced.front().second, StanzaErrc::remote_server_not_found);
  EXPECT_TRUE(b.handler.stanzas.empty());
}

TEST(S2sTransport, UntrustedClientCertificateIsRefusedByTheListener) {
  Pki pki;
  asio::io_context io;
  Side a(io, pki, "a.example", "a-self");
  Side b(io, pki, "b.example", "b");
  a.route("b.example", b.listen());
  a.pool->send(kAtoB, chat("alice@a.example", "bob@b.example", "from an impostor"));
  ASSERT_TRUE(run_until(io, [&] { return !a.bounced.empty(); }));
  EXPECT_EQ(b.metric("fedgate_xmpp_s2s_refused_total", {{"reason", "cert_untrusted_issuer"}}), 1);
  EXPECT_TRUE(b.handler.stanzas.empty());
}

TEST(S2sTransport, SilentPeerBouncesWithRemoteServerTimeout) {
  Pki pki;
  asio::io_context io;
  asio::ip::tcp::acceptor silent(io, {asio::ip::make_address("127.0.0.1"), 0});
  asio::ip::tcp::socket held(io);
  silent.async_accept(held, [](boost::system::error_code) {});  // accepts, never answers
  Side a(io, pki, "a.example", "a");
  auto quick = std::make_shared<StreamConfig>(*a.config.stream.load());
  quick->timeouts.handshake = std::chrono::milliseconds(300);
  a.config.stream = quick;
  a.route("b.example", silent.local_endpoint().port());
  a.pool->send(kAtoB, chat("alice@a.example", "bob@b.example", "anyone?"));
  ASSERT_TRUE(run_until(io, [&] { return !a.bounced.empty(); }));
  EXPECT_EQ(a.bounced.front().second, StanzaErrc::remote_server_timeout);
  EXPECT_EQ(a.bounced.front().first.child("body")->text, "anyone?");
}

TEST(S2sTransport, EveryQueuedStanzaBouncesWhenTheConnectFails) {
  Pki pki;
  asio::io_context io;
  Side a(io, pki, "a.example", "a");
  a.route("b.example", closed_port());
  for (int i = 0; i < 3; ++i) {
    a.pool->send(kAtoB, chat("alice@a.example", "bob@b.example", std::to_string(i)));
  }
  EXPECT_EQ(a.pool->streams(), 1u);  // one stream dialling; the three wait in its queue
  ASSERT_TRUE(run_until(io, [&] { return a.bounced.size() == 3; }));
  EXPECT_EQ(a.bounced[2].first.child("body")->text, "2");
}

TEST(S2sTransport, FullQueueBouncesWithResourceConstraint) {
  Pki pki;
  asio::io_context io;
  Side a(io, pki, "a.example", "a");
  a.config.queue_limit = 1;
  a.route("b.example", closed_port());
  a.pool->send(kAtoB, chat("alice@a.example", "bob@b.example", "queued"));
  a.pool->send(kAtoB, chat("alice@a.example", "bob@b.example", "overflow"));
  ASSERT_EQ(a.bounced.size(), 1u);  // at once, before the stream even dials
  EXPECT_EQ(a.bounced.front().second, StanzaErrc::resource_constraint);
  EXPECT_EQ(a.bounced.front().first.child("body")->text, "overflow");
  EXPECT_TRUE(run_until(io, [&] { return a.bounced.size() == 2; }));  // then "queued"
}

TEST(S2sTransport, ABurstArrivesWholeAndInOrder) {
  Pki pki;
  asio::io_context io;
  Side a(io, pki, "a.example", "a");
  Side b(io, pki, "b.example", "b");
  a.route("b.example", b.listen());
  for (int i = 0; i < 1000; ++i) {
    a.pool->send(kAtoB, chat("alice@a.example", "bob@b.example", std::to_string(i)));
  }
  ASSERT_TRUE(run_until(io, [&] { return b.handler.stanzas.size() == 1000; }))
      << b.handler.stanzas.size();
  EXPECT_EQ(b.handler.stanzas[999].child("body")->text, "999");
  EXPECT_TRUE(run_until(io, [&] { return a.metric("fedgate_xmpp_s2s_delivered_total") == 1000; }));
  EXPECT_TRUE(a.bounced.empty());
}

TEST(S2sTransport, QuietStreamsGiveTheirParserMemoryBackAndCarryOn) {
  Pki pki;
  asio::io_context io;
  Side a(io, pki, "a.example", "a");
  Side b(io, pki, "b.example", "b");
  a.config.hibernate_after = b.config.hibernate_after = std::chrono::milliseconds(50);
  a.route("b.example", b.listen());
  a.pool->send(kAtoB, chat("alice@a.example", "bob@b.example", "before"));
  ASSERT_TRUE(run_until(io, [&] { return b.handler.stanzas.size() == 1; }));
  const std::size_t awake = StreamParser::expat_bytes_in_use();
  run_until(
      io, [] { return false; }, std::chrono::milliseconds(300));
  EXPECT_LT(StreamParser::expat_bytes_in_use() + 2 * 8000, awake);  // both ends hibernated
  a.pool->send(kAtoB, chat("alice@a.example", "bob@b.example", "after"));
  ASSERT_TRUE(run_until(io, [&] { return b.handler.stanzas.size() == 2; }));
  EXPECT_EQ(b.handler.stanzas[1].child("body")->text, "after");
  EXPECT_EQ(a.metric("fedgate_xmpp_s2s_streams_total", {{"direction", "out"}}), 1);
}

}  // namespace
}  // namespace fedgate::xmpp::test
