// The write mailbox under a burst: more messages than the old 256-message capacity, queued at
// once to a peer that starts reading late, arrive complete and in order; sends beyond a full
// mailbox fail with mailbox_full and are counted (refusals_total{reason="mailbox_full"}).
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "sip/transport/transport_error.hpp"
#include "transport_harness.hpp"

// GCC 12 (-O1, ASan) false positive on Asio's awaitable frame operator new/delete pair (see
// sip/transport/connection.cpp).
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

namespace fedgate::sip::test {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

std::string call_id(int i) { return "burst-" + std::to_string(i); }

// Reads from `socket` in small chunks until `needle` is seen or 2000 reads have been made.
asio::awaitable<void> read_slowly(tcp::socket& socket, std::string& got, std::string needle) {
  char chunk[2048];
  for (int reads = 0; reads < 2000 && got.find(needle) == std::string::npos; ++reads) {
    auto [ec, n] = co_await socket.async_read_some(asio::buffer(chunk), kNoThrow);
    if (ec) {
      co_return;
    }
    got.append(chunk, n);
  }
}

// Sends `count` OPTIONS on a connection from `a` to a raw TCP peer without yielding, then the
// peer waits 200 ms before reading; returns what the peer read and the send results.
asio::awaitable<void> burst(Side& a, int count, std::string& got, std::vector<bool>& sent) {
  auto ex = co_await asio::this_coro::executor;
  tcp::acceptor acceptor(ex, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  PeerKey peer("127.0.0.1", acceptor.local_endpoint().port(), Transport::tcp);
  auto conn = co_await a.pool.connect(peer);
  EXPECT_TRUE(conn);
  auto [ec, socket] = co_await acceptor.async_accept(kNoThrow);
  if (!conn || ec) {
    co_return;
  }
  for (int i = 0; i < count; ++i) {
    sent.push_back(bool(conn->send_bytes(options_request(call_id(i)))));
  }
  co_await sleep_for(std::chrono::milliseconds(200));
  auto accepted = std::count(sent.begin(), sent.end(), true);
  co_await read_slowly(socket, got, "Call-ID: " + call_id(int(accepted) - 1) + "\r\n");
}

TEST(SipMailbox, BurstLargerThanTheOldCapacityArrivesCompleteAndInOrder) {
  asio::io_context io;
  Side a(io, std::nullopt);
  std::string got;
  std::vector<bool> sent;
  ASSERT_TRUE(run(io, burst(a, 1000, got, sent), {&a}));
  ASSERT_EQ(sent.size(), 1000u);
  EXPECT_EQ(std::count(sent.begin(), sent.end(), true), 1000);
  std::size_t at = 0;
  for (int i = 0; i < 1000; ++i) {
    at = got.find("Call-ID: " + call_id(i) + "\r\n", at);
    ASSERT_NE(at, std::string::npos) << "missing or out of order: " << i;
  }
  EXPECT_LT(a.refused("mailbox_full"), 1);  // never counted (-1: the series does not exist)
}

TEST(SipMailbox, SendsBeyondAFullMailboxAreRefusedAndCounted) {
  asio::io_context io;
  TransportConfig small;
  small.mailbox_capacity = 8;
  Side a(io, std::nullopt, small);
  std::string got;
  std::vector<bool> sent;
  ASSERT_TRUE(run(io, burst(a, 20, got, sent), {&a}));
  ASSERT_EQ(sent.size(), 20u);
  // The capacity, plus one if the write loop was already waiting to receive.
  auto accepted = int(std::count(sent.begin(), sent.end(), true));
  EXPECT_GE(accepted, 8);
  EXPECT_LE(accepted, 9);
  EXPECT_TRUE(std::is_partitioned(sent.begin(), sent.end(), [](bool ok) { return ok; }));
  EXPECT_NE(got.find("Call-ID: " + call_id(accepted - 1) + "\r\n"), std::string::npos);
  EXPECT_EQ(got.find("Call-ID: " + call_id(accepted) + "\r\n"), std::string::npos);
  EXPECT_EQ(a.refused("mailbox_full"), 20 - accepted);
}

}  // namespace
}  // namespace fedgate::sip::test
