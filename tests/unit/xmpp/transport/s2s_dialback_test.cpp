// Server Dialback (XEP-0220) between two fedgate sides on loopback, without TLS: the inbound
// stream asks the authoritative server over the pool's outbound stream (§2.1.2) and the
// verdict comes back to it; forged keys and unreachable authoritative servers are refused.
#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include "s2s_harness.hpp"

namespace fedgate::xmpp::test {
namespace {

namespace asio = boost::asio;
const DomainPair kAtoB{"a.example", "b.example"};
const DomainPair kBtoA{"b.example", "a.example"};
constexpr const char* kClaimA =
    "<?xml version='1.0'?><stream:stream xmlns='jabber:server' "
    "xmlns:stream='http://etherx.jabber.org/streams' xmlns:db='jabber:server:dialback' "
    "from='a.example' to='b.example' version='1.0'>"
    "<db:result from='a.example' to='b.example'>0123456789abcdef</db:result>";

std::uint16_t closed_port() {
  asio::io_context io;
  asio::ip::tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
  return acceptor.local_endpoint().port();
}

// Whatever the listener wrote to `socket` so far (the socket is non-blocking here).
std::string received(asio::ip::tcp::socket& socket) {
  std::string out(8192, '\0');
  boost::system::error_code ec;
  socket.non_blocking(true);
  auto n = socket.read_some(asio::buffer(out), ec);
  out.resize(ec ? 0 : n);
  return out;
}

TEST(S2sDialback, AStanzaEachWayWithDialbackOnly) {
  Pki pki;
  asio::io_context io;
  Side a(io, pki, "a.example", "a");
  Side b(io, pki, "b.example", "b");
  dialback_pair(a, b);
  a.pool->send(kAtoB, chat("alice@a.example/r", "bob@b.example", "to b"));
  b.pool->send(kBtoA, chat("bob@b.example/r", "alice@a.example", "to a"));
  ASSERT_TRUE(
      run_until(io, [&] { return b.handler.stanzas.size() + a.handler.stanzas.size() == 2; }));
  EXPECT_EQ(b.handler.stanzas.at(0).child("body")->text, "to b");
  EXPECT_EQ(a.handler.stanzas.at(0).child("body")->text, "to a");
  EXPECT_TRUE(a.bounced.empty());
  EXPECT_TRUE(b.bounced.empty());
  EXPECT_EQ(a.pool->streams(), 1u);  // the verify questions travelled on the stanza streams
  EXPECT_EQ(b.pool->streams(), 1u);
}

TEST(S2sDialback, EachLocalDomainIsVerifiedForItself) {
  Pki pki;
  asio::io_context io;
  Side a(io, pki, "a.example", "a");
  Side b(io, pki, "b.example", "b");
  a.dialback_only({"a2.example"});
  b.dialback_only();
  a.route("b.example", b.listen());
  const auto a_port = a.listen();
  b.route("a.example", a_port);
  b.route("a2.example", a_port);
  a.pool->send(kAtoB, chat("alice@a.example", "bob@b.example", "from a"));
  a.pool->send({"a2.example", "b.example"}, chat("carol@a2.example", "bob@b.example", "from a2"));
  ASSERT_TRUE(run_until(io, [&] { return b.handler.stanzas.size() == 2; }));
  EXPECT_EQ(b.pool->streams(), 2u);  // one verify stream to each authoritative domain
  EXPECT_TRUE(a.bounced.empty());
}

TEST(S2sDialback, AForgedKeyIsRefusedAfterAskingTheAuthoritativeServer) {
  Pki pki;
  asio::io_context io;
  Side a(io, pki, "a.example", "a");
  Side b(io, pki, "b.example", "b");
  a.dialback_only();
  b.dialback_only();
  b.route("a.example", a.listen());
  asio::ip::tcp::socket forger(io);
  forger.connect({asio::ip::make_address("127.0.0.1"), b.listen()});
  asio::write(forger, asio::buffer(std::string(kClaimA)));
  ASSERT_TRUE(run_until(io, [&] {
    return b.metric("fedgate_xmpp_s2s_refused_total", {{"reason", "dialback_invalid"}}) == 1;
  }));
  EXPECT_NE(received(forger).find("type='invalid'"), std::string::npos);
  EXPECT_TRUE(b.handler.stanzas.empty());
}

TEST(S2sDialback, UnreachableAuthoritativeServerGivesADialbackError) {
  Pki pki;
  asio::io_context io;
  Side b(io, pki, "b.example", "b");
  b.dialback_only();
  b.route("a.example", closed_port());
  asio::ip::tcp::socket forger(io);
  forger.connect({asio::ip::make_address("127.0.0.1"), b.listen()});
  asio::write(forger, asio::buffer(std::string(kClaimA)));
  ASSERT_TRUE(run_until(io, [&] {
    return b.metric("fedgate_xmpp_s2s_refused_total", {{"reason", "dialback_unverifiable"}}) == 1;
  }));
  const std::string answer = received(forger);
  EXPECT_NE(answer.find("type='error'"), std::string::npos);
  EXPECT_NE(answer.find("remote-server-not-found"), std::string::npos);
}

}  // namespace
}  // namespace fedgate::xmpp::test
