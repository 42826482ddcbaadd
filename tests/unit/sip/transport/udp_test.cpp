// SIP over UDP on loopback (RFC 3261 §18): received/rport stamping (§18.2.1, RFC 3581),
// response destinations (§18.2.2), the size limit for requests (§18.1.1), 400/513 to
// malformed datagrams, and the pool handing out UDP handles.
#include <gtest/gtest.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "sip/codec/error_response.hpp"
#include "sip/codec/parser.hpp"
#include "sip/transport/transport_error.hpp"
#include "sip/transport/udp_endpoint.hpp"
#include "transport_harness.hpp"

namespace fedgate::sip::test {
namespace {

namespace asio = boost::asio;
using udp = asio::ip::udp;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

std::string request_via(const std::string& via, const std::string& call_id) {
  auto wire = options_request(call_id);
  wire.replace(wire.find("Via: "), wire.find("\r\n", wire.find("Via: ")) - wire.find("Via: "),
               "Via: " + via);
  return wire;
}

Request parsed_request(const std::string& wire) {
  auto m = parse_message(wire);
  EXPECT_TRUE(m && std::holds_alternative<Request>(*m));
  return m && std::holds_alternative<Request>(*m) ? std::get<Request>(*m) : Request{};
}

// A side with a UDP endpoint on 127.0.0.1:0 whose handler answers requests with 200 OK.
struct UdpSide {
  explicit UdpSide(asio::io_context& io, TransportConfig c = {})
      : side(io, std::nullopt, c), endpoint(io.get_executor(), side.deps) {
    EXPECT_TRUE(endpoint.open({asio::ip::make_address("127.0.0.1"), 0}));
    side.tasks.spawn("sip.udp", endpoint.run());  // run() cancels and drains it
  }
  std::uint16_t port() const { return endpoint.local_endpoint().port(); }
  Side side;
  UdpEndpoint endpoint;
};

// Sends `bytes` from `from` to `port`, then waits (bounded) for one datagram on `at`.
asio::awaitable<std::string> send_and_receive(udp::socket& from, std::uint16_t port,
                                              std::string bytes, udp::socket& at) {
  co_await from.async_send_to(asio::buffer(bytes), {asio::ip::make_address("127.0.0.1"), port},
                              kNoThrow);
  std::string got(65535, '\0');
  udp::endpoint sender;
  auto receiving = at.async_receive_from(asio::buffer(got), sender, kNoThrow);
  auto [ec, n] = co_await std::move(receiving);
  got.resize(ec ? 0 : n);
  co_return got;
}

udp::socket bound(asio::io_context& io) {
  return udp::socket(io, udp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
}

TEST(SipUdp, StampsReceivedAndRportAndAnswersTheSourcePort) {
  asio::io_context io;
  UdpSide b(io);
  auto client = bound(io);
  std::string answer;
  auto work = [&]() -> asio::awaitable<void> {
    auto via = "SIP/2.0/UDP client.a.example:5999;branch=z9hG4bKu1;rport";
    answer = co_await send_and_receive(client, b.port(), request_via(via, "udp-1"), client);
  };
  ASSERT_TRUE(run(io, work(), {&b.side}));
  EXPECT_EQ(answer.rfind("SIP/2.0 200 OK\r\n", 0), 0u) << answer;
  auto stamped = "rport=" + std::to_string(client.local_endpoint().port()) + ";received=127.0.0.1";
  EXPECT_NE(answer.find(stamped), std::string::npos) << answer;
  EXPECT_EQ(headers_of(b.side.handler.received.at(0)).call_id, "udp-1");
}

TEST(SipUdp, WithoutRportTheResponseGoesToTheSentByPort) {
  asio::io_context io;
  UdpSide b(io);
  auto client = bound(io), listener = bound(io);
  std::string answer;
  auto work = [&]() -> asio::awaitable<void> {
    auto via = "SIP/2.0/UDP 127.0.0.1:" + std::to_string(listener.local_endpoint().port()) +
               ";branch=z9hG4bKu2";
    answer = co_await send_and_receive(client, b.port(), request_via(via, "udp-2"), listener);
  };
  ASSERT_TRUE(run(io, work(), {&b.side}));
  EXPECT_EQ(answer.rfind("SIP/2.0 200 OK\r\n", 0), 0u) << answer;
  EXPECT_EQ(answer.find("received="), std::string::npos) << answer;  // sent-by is the source
}

TEST(SipUdp, ResponseDestinationFollowsRfc3261Section18_2_2) {
  auto with = [](const std::string& via) {
    return response_destination(parsed_request(request_via(via, "d")));
  };
  auto at = [](const char* a, std::uint16_t p) {
    return udp::endpoint(asio::ip::make_address(a), p);
  };
  EXPECT_EQ(with("SIP/2.0/UDP h.example;branch=z9hG4bK1;received=192.0.2.1"),
            at("192.0.2.1", 5060));
  EXPECT_EQ(with("SIP/2.0/UDP 192.0.2.2:5070;branch=z9hG4bK1"), at("192.0.2.2", 5070));
  EXPECT_EQ(with("SIP/2.0/UDP h.example:5070;branch=z9hG4bK1;received=192.0.2.1;rport=6000"),
            at("192.0.2.1", 6000));
  EXPECT_EQ(with("SIP/2.0/UDP [2001:db8::9];branch=z9hG4bK1"), at("2001:db8::9", 5060));
  EXPECT_FALSE(
      with("SIP/2.0/UDP h.example;branch=z9hG4bK1"));  // a name: the caller uses the source
}

TEST(SipUdp, RequestsAboveTheDatagramLimitMustGoOverTcp) {
  asio::io_context io;
  TransportConfig small;
  small.max_datagram_size = 600;
  UdpSide a(io, small);
  auto peer = bound(io);
  auto handle = a.endpoint.handle_for(peer.local_endpoint());
  auto big =
      parse_message(options_request("udp-big", "Subject: " + std::string(600, 'x') + "\r\n"));
  ASSERT_TRUE(big);
  auto sent = handle.send(*big);
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error(), make_error_code(TransportErrc::message_too_large));
  auto response = make_error_response(std::get<Request>(*big), 200, "OK", "t");
  EXPECT_TRUE(handle.send(Message{response}));  // §18.1.1 limits requests only
  EXPECT_TRUE(handle.send(parsed_request(options_request("udp-small"))));
}

TEST(SipUdp, MalformedAndOversizedRequestsAreAnsweredAtTheSource) {
  asio::io_context io;
  TransportConfig tight;
  tight.limits.max_header_bytes = 1024;
  UdpSide b(io, tight);
  auto client = bound(io);
  std::string bad_answer, big_answer;
  auto bad = options_request("udp-bad");
  bad.replace(bad.find("CSeq: 1 OPTIONS"), 15, "CSeq: 1 INVITE");
  auto big = options_request("udp-513", "Subject: " + std::string(1200, 'x') + "\r\n");
  auto work = [&]() -> asio::awaitable<void> {
    bad_answer = co_await send_and_receive(client, b.port(), bad, client);
    big_answer = co_await send_and_receive(client, b.port(), big, client);
  };
  ASSERT_TRUE(run(io, work(), {&b.side}));
  EXPECT_EQ(bad_answer.rfind("SIP/2.0 400 ", 0), 0u) << bad_answer;
  EXPECT_EQ(big_answer.rfind("SIP/2.0 513 ", 0), 0u) << big_answer;
  EXPECT_EQ(b.side.refused("malformed_request"), 2);
  EXPECT_TRUE(b.side.handler.received.empty());
}

TEST(SipUdp, ThePoolHandsOutUdpHandlesOnceAnEndpointIsAttached) {
  asio::io_context io;
  UdpSide a(io);
  auto peer = bound(io);
  std::string got(2048, '\0');
  auto work = [&]() -> asio::awaitable<void> {
    PeerKey to("127.0.0.1", peer.local_endpoint().port(), Transport::udp);
    auto refused = co_await a.side.pool.connect(to);
    EXPECT_FALSE(refused);  // no endpoint attached yet
    a.side.pool.attach_udp(&a.endpoint);
    auto handle = co_await a.side.pool.connect(to);
    EXPECT_TRUE(handle && handle->send(parsed_request(options_request("udp-pool"))));
    udp::endpoint sender;
    auto [ec, n] = co_await peer.async_receive_from(asio::buffer(got), sender, kNoThrow);
    got.resize(ec ? 0 : n);
    EXPECT_EQ(sender.port(), a.port());
  };
  ASSERT_TRUE(run(io, work(), {&a.side}));
  EXPECT_NE(got.find("Call-ID: udp-pool\r\n"), std::string::npos) << got;
}

}  // namespace
}  // namespace fedgate::sip::test
