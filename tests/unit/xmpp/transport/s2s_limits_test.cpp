// Inbound limits: a peer that never completes the negotiation is closed with
// <connection-timeout/>, and one address may hold only so many inbound streams at once
// (<policy-violation/>). Raw loopback clients play the misbehaving peer.
#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>

#include "s2s_harness.hpp"

namespace fedgate::xmpp::test {
namespace {

namespace asio = boost::asio;
constexpr const char* kHeader =
    "<?xml version='1.0'?><stream:stream xmlns='jabber:server' "
    "xmlns:stream='http://etherx.jabber.org/streams' xmlns:db='jabber:server:dialback' "
    "from='a.example' to='b.example' version='1.0'>";

// Everything the listener wrote to `socket` so far (non-blocking).
std::string written_to(asio::ip::tcp::socket& socket) {
  std::string out(8192, '\0');
  boost::system::error_code ec;
  socket.non_blocking(true);
  auto n = socket.read_some(asio::buffer(out), ec);
  out.resize(ec ? 0 : n);
  return out;
}

TEST(S2sLimits, APeerThatNeverSpeaksIsClosedWithConnectionTimeout) {
  Pki pki;
  asio::io_context io;
  Side b(io, pki, "b.example", "b");
  auto quick = std::make_shared<StreamConfig>(*b.config.stream.load());
  quick->timeouts.handshake = std::chrono::milliseconds(300);
  b.config.stream = quick;
  asio::ip::tcp::socket silent(io);
  silent.connect({asio::ip::make_address("127.0.0.1"), b.listen()});
  const Labels closed{{"direction", "in"}, {"reason", "handshake_timeout"}};
  ASSERT_TRUE(
      run_until(io, [&] { return b.metric("fedgate_xmpp_s2s_closed_total", closed) == 1; }));
  EXPECT_NE(written_to(silent).find("<connection-timeout"), std::string::npos);
}

TEST(S2sLimits, TooManyStreamsFromOneAddressArePolicyViolations) {
  Pki pki;
  asio::io_context io;
  Side b(io, pki, "b.example", "b");
  b.config.max_inbound_per_address = 1;
  const auto port = b.listen();
  asio::ip::tcp::socket first(io), second(io);
  first.connect({asio::ip::make_address("127.0.0.1"), port});
  asio::write(first, asio::buffer(std::string(kHeader)));
  second.connect({asio::ip::make_address("127.0.0.1"), port});
  ASSERT_TRUE(run_until(io, [&] {
    return b.metric("fedgate_xmpp_s2s_refused_total", {{"reason", "too_many_streams"}}) == 1;
  }));
  run_until(
      io, [] { return false; }, std::chrono::milliseconds(100));  // the refusal is written
  EXPECT_NE(written_to(second).find("<policy-violation"), std::string::npos);
  const std::string admitted = written_to(first);
  EXPECT_NE(admitted.find("<stream:features"), std::string::npos);
  EXPECT_EQ(admitted.find("policy-violation"), std::string::npos);
}

}  // namespace
}  // namespace fedgate::xmpp::test
