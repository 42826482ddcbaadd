// sip_net over real loopback connections: mutual TLS round trip, allow-list refusal, 400 to a
// malformed request, CRLF pong, idle timeout, reuse of an inbound connection by the pool.
#include <gtest/gtest.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "sip/codec/parser.hpp"
#include "transport_harness.hpp"

namespace fedgate::sip::test {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

Message parsed(const std::string& bytes) {
  auto m = parse_message(bytes);
  EXPECT_TRUE(m);
  return m ? *m : Message{};
}

TEST(SipConnection, RequestAndResponseOverMutualTls) {
  Pki pki;
  asio::io_context io;
  Side a(io, pki.settings("a")), b(io, pki.settings("b"));
  ASSERT_TRUE(b.start());
  auto work = [&]() -> asio::awaitable<void> {
    PeerKey to_b("127.0.0.1", b.port(), Transport::tls);
    auto conn = co_await a.pool.connect(to_b);
    EXPECT_TRUE(conn);
    if (conn) {
      EXPECT_TRUE(conn->send(parsed(options_request("rt-1"))));
    }
    std::function<bool()> done = [&] { return !a.handler.received.empty(); };
    co_await wait_until(done);
  };
  ASSERT_TRUE(run(io, work(), {&a, &b}));
  ASSERT_EQ(b.handler.received.size(), 1u);
  EXPECT_EQ(headers_of(b.handler.received[0]).call_id, "rt-1");
  ASSERT_EQ(a.handler.received.size(), 1u);
  EXPECT_EQ(std::get<Response>(a.handler.received[0]).status, 200);
  EXPECT_EQ(b.registry.value("fedgate_sip_transport_messages_total", {{"direction", "inbound"}}),
            1);
}

TEST(SipConnection, PeerWhoseSubjectIsNotAllowedIsRefused) {
  Pki pki;
  asio::io_context io;
  TransportConfig strict;
  strict.allow_subject = [](const gateway::CertificateInfo& c) {
    return std::find(c.dns_names.begin(), c.dns_names.end(), "c.example") != c.dns_names.end();
  };
  Side a(io, pki.settings("a")), b(io, pki.settings("b"), strict);
  ASSERT_TRUE(b.start());
  auto work = [&]() -> asio::awaitable<void> {
    PeerKey to_b("127.0.0.1", b.port(), Transport::tls);
    auto conn = co_await a.pool.connect(to_b);
    if (conn) {
      EXPECT_TRUE(conn->send(parsed(options_request("refused-1"))));
    }
    std::function<bool()> done = [&] { return b.refused("subject_not_allowed") >= 1; };
    co_await wait_until(done);
  };
  ASSERT_TRUE(run(io, work(), {&a, &b}));
  EXPECT_EQ(b.refused("subject_not_allowed"), 1);
  EXPECT_TRUE(b.handler.received.empty());
}

TEST(SipConnection, MalformedRequestGets400WithTheReason) {
  asio::io_context io;
  Side b(io, std::nullopt);
  ASSERT_TRUE(b.start());
  std::string bad = options_request("bad-1");
  bad.replace(bad.find("CSeq: 1 OPTIONS"), 15, "CSeq: 1 INVITE");
  std::string got;
  ASSERT_TRUE(run(io, exchange(b.port(), bad, "\r\n\r\n", got), {&b}));
  EXPECT_EQ(got.rfind("SIP/2.0 400 ", 0), 0u) << got;
  EXPECT_NE(got.find(reason_phrase(ParseErrc::cseq_method_mismatch)), std::string::npos) << got;
  EXPECT_NE(got.find("Call-ID: bad-1"), std::string::npos);
  EXPECT_EQ(b.refused("malformed_request"), 1);
}

TEST(SipConnection, LostFramingIsAnsweredThenClosed) {
  asio::io_context io;
  Side b(io, std::nullopt);
  ASSERT_TRUE(b.start());
  std::string bad = options_request("bad-2");
  bad.replace(bad.find("Content-Length: 0"), 17, "Content-Length: x");
  std::string got;
  ASSERT_TRUE(run(io, exchange(b.port(), bad, "never-sent", got), {&b}));
  EXPECT_EQ(got.rfind("SIP/2.0 400 ", 0), 0u) << got;  // then EOF ended the read
  EXPECT_NE(got.find(reason_phrase(ParseErrc::bad_content_length)), std::string::npos) << got;
}

TEST(SipConnection, CrlfPingGetsPong) {
  asio::io_context io;
  Side b(io, std::nullopt);
  ASSERT_TRUE(b.start());
  std::string got;
  ASSERT_TRUE(run(io, exchange(b.port(), "\r\n\r\n", "\r\n", got), {&b}));
  EXPECT_EQ(got, "\r\n");
  EXPECT_EQ(b.registry.value("fedgate_sip_transport_keepalives_total", {{"direction", "inbound"}}),
            1);
}

TEST(SipConnection, IdleTimeoutClosesTheConnection) {
  asio::io_context io;
  TransportConfig quick;
  quick.idle_timeout = std::chrono::milliseconds(200);
  Side b(io, std::nullopt, quick);
  ASSERT_TRUE(b.start());
  std::string got;
  auto started = Clock::now();
  ASSERT_TRUE(run(io, exchange(b.port(), "", "never-sent", got), {&b}));
  EXPECT_TRUE(got.empty());
  EXPECT_LT(Clock::now() - started, std::chrono::seconds(10));  // EOF, not run()'s bound
  EXPECT_EQ(b.registry.value("fedgate_sip_transport_connections",
                             {{"transport", "tcp"}, {"direction", "inbound"}}),
            0);
}

TEST(SipListener, ConnectionsBeyondThePerAddressLimitAreRefused) {
  asio::io_context io;
  TransportConfig one;
  one.max_connections_per_address = 1;
  Side b(io, std::nullopt, one);
  ASSERT_TRUE(b.start());
  std::string first, second;
  auto work = [&]() -> asio::awaitable<void> {
    auto ex = co_await asio::this_coro::executor;
    tcp::socket held(ex);
    tcp::endpoint to(asio::ip::make_address("127.0.0.1"), b.port());
    auto connected = co_await held.async_connect(to, kNoThrow);
    EXPECT_FALSE(std::get<0>(connected));
    auto sent = co_await asio::async_write(held, asio::buffer("\r\n\r\n", 4), kNoThrow);
    (void)sent;
    asio::streambuf in;
    auto pong = co_await asio::async_read_until(held, in, "\r\n", kNoThrow);
    first = std::get<0>(pong) ? "" : "pong";
    auto refused = exchange(b.port(), "\r\n\r\n", "\r\n", second);  // `held` still open
    co_await std::move(refused);
  };
  ASSERT_TRUE(run(io, work(), {&b}));
  EXPECT_EQ(first, "pong");
  EXPECT_TRUE(second.empty());  // closed without a pong
  EXPECT_EQ(b.refused("connection_limit"), 1);
}

TEST(SipConnection, CancellingTheTaskGroupStillClosesAndCountsEveryConnection) {
  Pki pki;
  asio::io_context io;
  Side a(io, pki.settings("a")), b(io, pki.settings("b"));
  ASSERT_TRUE(b.start());
  auto work = [&]() -> asio::awaitable<void> {
    auto conn = co_await a.pool.connect(PeerKey("127.0.0.1", b.port(), Transport::tls));
    EXPECT_TRUE(conn);
    std::function<bool()> up = [&] { return b.tasks.size() >= 1; };
    co_await wait_until(up);
  };
  ASSERT_TRUE(run(io, work(), {&a, &b}));  // stops both sides: TaskGroup::cancel()
  EXPECT_EQ(a.tasks.size(), 0u);
  EXPECT_EQ(a.registry.value("fedgate_sip_transport_connections",
                             {{"transport", "tls"}, {"direction", "outbound"}}),
            0);
  EXPECT_EQ(a.registry.value("fedgate_sip_transport_connections_total",
                             {{"transport", "tls"}, {"direction", "outbound"}}),
            1);
}

TEST(SipConnectionPool, ReusesTheInboundConnectionForRequestsToThatPeer) {
  Pki pki;
  asio::io_context io;
  Side a(io, pki.settings("a")), b(io, pki.settings("b"));
  ASSERT_TRUE(b.start());
  auto work = [&]() -> asio::awaitable<void> {
    PeerKey to_b("127.0.0.1", b.port(), Transport::tls);
    auto conn = co_await a.pool.connect(to_b);
    if (conn) {
      EXPECT_TRUE(conn->send(parsed(options_request("reuse-1"))));
    }
    std::function<bool()> done = [&] { return !b.handler.connections.empty(); };
    co_await wait_until(done);
    PeerKey to_a("a.example", 5061, Transport::tls);
    auto back = co_await b.pool.connect(to_a);
    EXPECT_TRUE(back);
    if (back) {
      EXPECT_EQ(back->id(), b.handler.connections.front());
      EXPECT_TRUE(back->send(parsed(options_request("reuse-2"))));
    }
    std::function<bool()> answered = [&] { return a.handler.received.size() >= 2; };
    co_await wait_until(answered);
  };
  ASSERT_TRUE(run(io, work(), {&a, &b}));
  ASSERT_EQ(a.handler.received.size(), 2u);  // b's 200 OK and b's own OPTIONS
  EXPECT_EQ(b.registry.value("fedgate_sip_transport_connections_total",
                             {{"transport", "tls"}, {"direction", "outbound"}}),
            0);
}

}  // namespace
}  // namespace fedgate::sip::test
