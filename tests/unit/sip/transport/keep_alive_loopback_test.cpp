// CRLF keep-alives (RFC 5626 §3.5.1, §4.4.1) and Ms-Keep-Alive (MS-CONMGMT §2.2.1) over real
// loopback connections: pings on connections we opened, closing when no pong comes, the UAS
// answer to an offer, and a negotiated connection kept open past the idle timeout.
#include <gtest/gtest.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "sip/codec/parser.hpp"
#include "transport_harness.hpp"

namespace fedgate::sip::test {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using std::chrono::milliseconds;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
constexpr const char* kOffer = "ms-keep-alive: UAC;hop-hop=yes\r\n";

TransportConfig pinging(Duration interval, Duration timeout) {
  TransportConfig c;
  c.keep_alive_interval = interval;
  c.keep_alive_timeout = timeout;
  return c;
}

double keepalives(const Side& side, const char* direction) {
  return side.registry.value("fedgate_sip_transport_keepalives_total", {{"direction", direction}});
}

Message parsed(const std::string& bytes) {
  auto m = parse_message(bytes);
  EXPECT_TRUE(m);
  return m ? *m : Message{};
}

// A peer that accepts one connection and hands it to `play` (the test's script).
struct RawPeer {
  explicit RawPeer(asio::io_context& io)
      : acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {}
  std::uint16_t port() const { return acceptor.local_endpoint().port(); }
  asio::awaitable<tcp::socket> accept() {
    auto [ec, socket] = co_await acceptor.async_accept(kNoThrow);
    EXPECT_FALSE(ec);
    co_return std::move(socket);
  }
  tcp::acceptor acceptor;
};

TEST(SipKeepAlive, OutboundConnectionsPingAndStayUpWhileThePeerAnswers) {
  asio::io_context io;
  Side a(io, std::nullopt, pinging(milliseconds(100), milliseconds(500)));
  Side b(io, std::nullopt);
  ASSERT_TRUE(b.start());
  bool alive = false;
  auto work = [&]() -> asio::awaitable<void> {
    auto dialled = co_await a.pool.connect(PeerKey("127.0.0.1", b.port(), Transport::tcp));
    EXPECT_TRUE(dialled);
    std::function<bool()> pinged = [&] { return keepalives(b, "inbound") >= 6; };  // > 500 ms
    co_await wait_until(pinged);
    alive = dialled && dialled->alive();
  };
  ASSERT_TRUE(run(io, work(), {&a, &b}));
  EXPECT_GE(keepalives(a, "outbound"), 6);       // pings sent
  EXPECT_GE(keepalives(b, "inbound"), 6);        // pings seen (and answered)
  EXPECT_TRUE(alive);                            // each pong kept it up
  EXPECT_LT(a.refused("keepalive_timeout"), 1);  // -1: never counted
}

TEST(SipKeepAlive, AConnectionWhosePeerNeverAnswersAPingIsClosed) {
  asio::io_context io;
  Side a(io, std::nullopt, pinging(milliseconds(100), milliseconds(100)));
  RawPeer silent(io);
  std::string seen;
  auto work = [&]() -> asio::awaitable<void> {
    auto dialled = co_await a.pool.connect(PeerKey("127.0.0.1", silent.port(), Transport::tcp));
    EXPECT_TRUE(dialled);
    auto socket = co_await silent.accept();
    auto reading = read_until(socket, seen, "\r\n\r\n");
    co_await std::move(reading);
    std::function<bool()> closed = [&] { return a.refused("keepalive_timeout") >= 1; };
    co_await wait_until(closed);
  };
  ASSERT_TRUE(run(io, work(), {&a}));
  EXPECT_EQ(seen, "\r\n\r\n");
  EXPECT_EQ(a.refused("keepalive_timeout"), 1);
  EXPECT_EQ(a.registry.value("fedgate_sip_transport_connections",
                             {{"transport", "tcp"}, {"direction", "outbound"}}),
            0);
}

TEST(SipKeepAlive, AnOfferIsAnsweredAsOcsDoes) {
  asio::io_context io;
  Side b(io, std::nullopt);
  ASSERT_TRUE(b.start());
  std::string got;
  ASSERT_TRUE(
      run(io, exchange(b.port(), options_request("ka-offer", kOffer), "\r\n\r\n", got), {&b}));
  EXPECT_EQ(got.rfind("SIP/2.0 200 OK\r\n", 0), 0u) << got;
  EXPECT_NE(got.find("\r\nms-keep-alive: UAS; tcp=no; hop-hop=yes; end-end=no; timeout=300\r\n"),
            std::string::npos)
      << got;
}

TEST(SipKeepAlive, ANegotiatedConnectionOutlivesTheIdleTimeout) {
  asio::io_context io;
  TransportConfig quick;
  quick.idle_timeout = milliseconds(200);
  Side b(io, std::nullopt, quick);
  ASSERT_TRUE(b.start());
  std::string answer, pong;
  auto work = [&]() -> asio::awaitable<void> {
    tcp::socket socket(co_await asio::this_coro::executor);
    auto connected =
        co_await socket.async_connect({asio::ip::make_address("127.0.0.1"), b.port()}, kNoThrow);
    EXPECT_FALSE(std::get<0>(connected));
    auto offer = options_request("ka-open", kOffer);
    co_await asio::async_write(socket, asio::buffer(offer), kNoThrow);
    co_await read_until(socket, answer, "\r\n\r\n");
    co_await sleep_for(milliseconds(500));  // beyond idle_timeout, within timeout=300 s
    co_await asio::async_write(socket, asio::buffer("\r\n\r\n", 4), kNoThrow);
    co_await read_until(socket, pong, "\r\n");
  };
  ASSERT_TRUE(run(io, work(), {&b}));
  EXPECT_NE(answer.find("ms-keep-alive: UAS"), std::string::npos) << answer;
  EXPECT_EQ(pong, "\r\n");
}

TEST(SipKeepAlive, OurOfferIsAnsweredAndThePeersTimeoutSetsThePingInterval) {
  asio::io_context io;
  Side a(io, std::nullopt, pinging(Duration::zero(), milliseconds(500)));  // no pings unless asked
  RawPeer lync(io);
  std::string request, ping;
  auto work = [&]() -> asio::awaitable<void> {
    auto conn = co_await a.pool.connect(PeerKey("127.0.0.1", lync.port(), Transport::tcp));
    EXPECT_TRUE(conn && conn->send(parsed(options_request("ka-ours"))));
    auto socket = co_await lync.accept();
    co_await read_until(socket, request, "\r\n\r\n");
    std::string ok = "SIP/2.0 200 OK\r\n" + request.substr(request.find("Via:"));
    ok.replace(ok.find("UAC; hop-hop=yes"), 16, "UAS; tcp=no; hop-hop=yes; timeout=1");
    co_await asio::async_write(socket, asio::buffer(ok), kNoThrow);
    auto started = Clock::now();
    co_await read_until(socket, ping, "\r\n\r\n");  // 4/5 of 1 s after the answer
    EXPECT_GE(Clock::now() - started, milliseconds(600));
  };
  ASSERT_TRUE(run(io, work(), {&a}));
  EXPECT_NE(request.find("\r\nms-keep-alive: UAC; hop-hop=yes\r\n"), std::string::npos) << request;
  EXPECT_EQ(ping, "\r\n\r\n");
  EXPECT_EQ(a.handler.received.size(), 1u);  // the 200 OK
}

}  // namespace
}  // namespace fedgate::sip::test
