// Admission of inbound connections and per-peer limits over real loopback connections: the
// incoming ACL by certificate name, address and reverse name; the TLS handshake timeout; one
// outbound connection per peer for concurrent callers.
#include <gtest/gtest.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "sip/codec/parser.hpp"
#include "sip/transport/transport_error.hpp"
#include "transport_harness.hpp"

namespace fedgate::sip::test {
namespace {

namespace asio = boost::asio;
using std::chrono::milliseconds;

TransportConfig acl(std::vector<std::string> entries) {
  TransportConfig c;
  c.incoming_acl = [entries = std::move(entries)](const InboundPeer& peer) {
    return acl_admits(entries, peer);
  };
  return c;
}

// a (a.example) sends one OPTIONS to b over mutual TLS; true when b got it.
bool options_reach(asio::io_context& io, Side& a, Side& b) {
  auto work = [&]() -> asio::awaitable<void> {
    auto conn = co_await a.pool.connect(PeerKey("127.0.0.1", b.port(), Transport::tls));
    if (conn) {
      auto request = parse_message(options_request("acl-1"));
      EXPECT_TRUE(request && conn->send(*request));
    }
    std::function<bool()> done = [&] {
      return !b.handler.received.empty() || b.refused("not_in_acl") >= 1;
    };
    co_await wait_until(done);
  };
  return run(io, work(), {&a, &b}) && !b.handler.received.empty();
}

TEST(SipIncomingAcl, ATlsPeerNamedByItsCertificateIsAdmitted) {
  Pki pki;
  asio::io_context io;
  Side a(io, pki.settings("a")), b(io, pki.settings("b"), acl({"10.9.9.9", "a.example"}));
  ASSERT_TRUE(b.start());
  EXPECT_TRUE(options_reach(io, a, b));
  EXPECT_LT(b.refused("not_in_acl"), 1);  // -1: never counted
}

TEST(SipIncomingAcl, ATlsPeerNotInTheAclIsRefusedAndCounted) {
  Pki pki;
  asio::io_context io;
  Side a(io, pki.settings("a")), b(io, pki.settings("b"), acl({"c.example", "10.9.9.9"}));
  ASSERT_TRUE(b.start());
  EXPECT_FALSE(options_reach(io, a, b));
  EXPECT_EQ(b.refused("not_in_acl"), 1);
}

TEST(SipIncomingAcl, ATcpPeerIsAdmittedByAddressOnly) {
  asio::io_context io;
  Side listed(io, std::nullopt, acl({"127.0.0.1"})), unlisted(io, std::nullopt, acl({"::1"}));
  ASSERT_TRUE(listed.start());
  ASSERT_TRUE(unlisted.start());
  std::string pong, none;
  auto work = [&]() -> asio::awaitable<void> {
    co_await exchange(listed.port(), "\r\n\r\n", "\r\n", pong);
    co_await exchange(unlisted.port(), "\r\n\r\n", "\r\n", none);  // closed: EOF
  };
  ASSERT_TRUE(run(io, work(), {&listed, &unlisted}));
  EXPECT_EQ(pong, "\r\n");
  EXPECT_EQ(none, "");
  EXPECT_EQ(unlisted.refused("not_in_acl"), 1);
}

TEST(SipIncomingAcl, AReverseResolvedNameAdmitsWhenTheAddressDoesNot) {
  asio::io_context io;
  auto config = acl({"edge.partner.example"});
  std::vector<std::string> asked;
  config.reverse_lookup =
      [&asked](std::string address) -> asio::awaitable<std::vector<std::string>> {
    asked.push_back(address);
    co_return std::vector<std::string>{"edge.partner.example."};
  };
  Side b(io, std::nullopt, config);
  ASSERT_TRUE(b.start());
  std::string pong;
  ASSERT_TRUE(run(io, exchange(b.port(), "\r\n\r\n", "\r\n", pong), {&b}));
  EXPECT_EQ(pong, "\r\n");
  EXPECT_EQ(asked, std::vector<std::string>{"127.0.0.1"});
}

TEST(SipAdmission, ASilentTlsClientIsRefusedAfterTheHandshakeTimeout) {
  Pki pki;
  asio::io_context io;
  TransportConfig quick;
  quick.handshake_timeout = milliseconds(200);
  Side b(io, pki.settings("b"), quick);
  ASSERT_TRUE(b.start());
  std::string got;
  auto started = Clock::now();
  ASSERT_TRUE(run(io, exchange(b.port(), "", "never-sent", got), {&b}));
  EXPECT_LT(Clock::now() - started, std::chrono::seconds(5));  // closed, not run()'s bound
  EXPECT_EQ(got, "");
  EXPECT_EQ(b.refused("handshake_timeout"), 1);
}

TEST(SipConnectionPool, ConcurrentCallersShareOneDialToAPeer) {
  Pki pki;
  asio::io_context io;
  Side a(io, pki.settings("a")), b(io, pki.settings("b"));
  ASSERT_TRUE(b.start());
  result<ConnectionHandle> first = TransportErrc::connect_failed;
  result<ConnectionHandle> second = TransportErrc::connect_failed;
  auto work = [&]() -> asio::awaitable<void> {
    using namespace asio::experimental::awaitable_operators;
    PeerKey to_b("127.0.0.1", b.port(), Transport::tls);
    auto one = [&]() -> asio::awaitable<void> { first = co_await a.pool.connect(to_b); };
    auto two = [&]() -> asio::awaitable<void> { second = co_await a.pool.connect(to_b); };
    co_await (one() && two());
  };
  ASSERT_TRUE(run(io, work(), {&a, &b}));
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->id(), second->id());
  EXPECT_EQ(b.registry.value("fedgate_sip_transport_connections_total",
                             {{"transport", "tls"}, {"direction", "inbound"}}),
            1);
}

TEST(SipConnectionPool, ADialNobodyAnswersFailsAfterTheConnectTimeout) {
  asio::io_context io;
  TransportConfig quick;
  quick.connect_timeout = milliseconds(200);
  Side a(io, std::nullopt, quick);
  asio::ip::tcp::acceptor full(io);  // backlog 0: the first connection fills it, SYNs then drop
  asio::ip::tcp::endpoint local(asio::ip::make_address("127.0.0.1"), 0);
  full.open(local.protocol());
  full.bind(local);
  full.listen(0);
  asio::ip::tcp::socket filler(io);
  filler.connect(full.local_endpoint());
  result<ConnectionHandle> dialled = TransportErrc::connection_closed;
  auto work = [&]() -> asio::awaitable<void> {
    dialled =
        co_await a.pool.connect(PeerKey("127.0.0.1", full.local_endpoint().port(), Transport::tcp));
  };
  auto started = Clock::now();
  ASSERT_TRUE(run(io, work(), {&a}));
  EXPECT_LT(Clock::now() - started, std::chrono::seconds(3));
  ASSERT_FALSE(dialled);
  EXPECT_EQ(dialled.error(), make_error_code(TransportErrc::connect_failed));
  EXPECT_EQ(a.refused("connect_failed"), 1);
}

}  // namespace
}  // namespace fedgate::sip::test
