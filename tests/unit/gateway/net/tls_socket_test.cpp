// The lean TlsSocket over real loopback connections: handshakes, bulk data both ways,
// wire compatibility with asio::ssl::stream, close_notify, cancellation. No co_await inside
// && / || or structured bindings: GCC 12 miscompiles both in coroutines.
#include "gateway/net/tls_socket.hpp"

#include <gtest/gtest.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "gateway/net/peer_check.hpp"
#include "gateway/net/test_pki.hpp"

namespace fedgate::gateway {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

class TlsSocketTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto ca = TestCa::create(dir_.path());
    ASSERT_TRUE(ca);
    auto a = ca->issue("a", good_spec("a.example"));
    auto b = ca->issue("b", good_spec("b.example"));
    ASSERT_TRUE(a && b);
    server_settings_ = TlsSettings{{a->cert, a->key}, {}, ca->cert_pem()};
    client_settings_ = TlsSettings{{b->cert, b->key}, {}, ca->cert_pem()};
  }
  // A connected pair of plain sockets on loopback.
  std::pair<tcp::socket, tcp::socket> connected_pair() {
    tcp::acceptor acceptor(io_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    tcp::socket client(io_);
    client.connect(acceptor.local_endpoint());
    return {std::move(client), acceptor.accept()};
  }
  TlsSocket make(tcp::socket socket, const TlsSettings& s, bool server) {
    auto ctx = server ? TlsContext::server(s) : TlsContext::client(s);
    EXPECT_TRUE(ctx);
    auto tls = TlsSocket::create(std::move(socket), *ctx);
    EXPECT_TRUE(tls);
    return std::move(*tls);
  }
  void run() { io_.run_for(std::chrono::seconds(20)); }
  TestDir dir_;
  asio::io_context io_;
  TlsSettings server_settings_, client_settings_;
};

asio::awaitable<void> echo_all(TlsSocket& tls, std::size_t total, bool& ok) {
  auto hs = co_await tls.handshake(TlsSocket::Role::server);
  ok = static_cast<bool>(hs);
  std::vector<char> buf(4096);
  for (std::size_t seen = 0; ok && seen < total;) {
    auto n = co_await tls.read_some(asio::buffer(buf));
    if (!n) {
      ok = false;
      break;
    }
    auto written = co_await tls.write(asio::buffer(buf.data(), *n));
    ok = static_cast<bool>(written);
    seen += *n;
  }
}

asio::awaitable<void> send_and_collect(TlsSocket& tls, std::string data, std::string& back,
                                       result<PeerIdentity>& peer) {
  auto hs = co_await tls.handshake(TlsSocket::Role::client);
  if (!hs) {
    co_return;
  }
  peer = check_peer(tls.native_handle(), PeerPolicy{PeerRole::server, "a.example"});
  auto written = co_await tls.write(asio::buffer(data));
  std::vector<char> buf(4096);
  while (written && back.size() < data.size()) {
    auto n = co_await tls.read_some(asio::buffer(buf));
    if (!n) {
      co_return;
    }
    back.append(buf.data(), *n);
  }
}

TEST_F(TlsSocketTest, EchoesAMegabyteBothWaysAfterMutualTls) {
  auto [c, s] = connected_pair();
  auto client = make(std::move(c), client_settings_, false);
  auto server = make(std::move(s), server_settings_, true);
  std::string data(1 << 20, '\0');
  for (std::size_t i = 0; i < data.size(); ++i) {
    data[i] = static_cast<char>(i * 7 + i / 251);
  }
  std::string back;
  bool server_ok = false;
  result<PeerIdentity> peer = CertErrc::no_peer_certificate;
  asio::co_spawn(io_, echo_all(server, data.size(), server_ok), asio::detached);
  asio::co_spawn(io_, send_and_collect(client, data, back, peer), asio::detached);
  run();
  EXPECT_TRUE(server_ok);
  EXPECT_TRUE(back == data);
  ASSERT_TRUE(peer) << peer.error().message();
  EXPECT_TRUE(check_peer(server.native_handle(), PeerPolicy{PeerRole::client, "b.example"}));
}

asio::awaitable<void> asio_echo_server(asio::ssl::stream<tcp::socket>& stream, std::size_t total) {
  auto hs = co_await stream.async_handshake(asio::ssl::stream_base::server, kNoThrow);
  std::string buf(total, '\0');
  if (!std::get<0>(hs)) {
    auto got = co_await asio::async_read(stream, asio::buffer(buf), kNoThrow);
    co_await asio::async_write(stream, asio::buffer(buf, std::get<1>(got)), kNoThrow);
  }
}

TEST_F(TlsSocketTest, TalksToAsioSslStream) {
  auto [c, s] = connected_pair();
  auto client = make(std::move(c), client_settings_, false);
  auto server_ctx = TlsContext::server(server_settings_);
  ASSERT_TRUE(server_ctx);
  asio::ssl::stream<tcp::socket> server(std::move(s), server_ctx->native());
  std::string data(100000, 'q'), back;
  result<PeerIdentity> peer = CertErrc::no_peer_certificate;
  asio::co_spawn(io_, asio_echo_server(server, data.size()), asio::detached);
  asio::co_spawn(io_, send_and_collect(client, data, back, peer), asio::detached);
  run();
  EXPECT_TRUE(peer);
  EXPECT_EQ(back, data);
}

asio::awaitable<void> handshake_then_read(TlsSocket& tls, TlsSocket::Role role, error_code& out) {
  auto hs = co_await tls.handshake(role);
  if (!hs) {
    out = hs.error();
    co_return;
  }
  char byte = 0;
  auto n = co_await tls.read_some(asio::buffer(&byte, 1));
  out = n ? error_code{} : n.error();
}

asio::awaitable<void> handshake_then_close(TlsSocket& tls, bool notify) {
  auto hs = co_await tls.handshake(TlsSocket::Role::client);
  if (hs && notify) {
    co_await tls.shutdown();
  }
  tls.socket().close();
}

TEST_F(TlsSocketTest, CloseNotifyIsEofAndABareCloseIsTruncation) {
  server_settings_.session_resumption = false;  // no tickets left unread: a clean FIN, no RST
  for (bool notify : {true, false}) {
    auto [c, s] = connected_pair();
    auto client = make(std::move(c), client_settings_, false);
    auto server = make(std::move(s), server_settings_, true);
    error_code seen;
    asio::co_spawn(io_, handshake_then_read(server, TlsSocket::Role::server, seen), asio::detached);
    asio::co_spawn(io_, handshake_then_close(client, notify), asio::detached);
    io_.restart();
    run();
    EXPECT_EQ(seen, notify ? error_code(asio::error::eof)
                           : error_code(asio::ssl::error::stream_truncated));
  }
}

asio::awaitable<void> write_until_error(TlsSocket& tls, error_code& out) {
  auto hs = co_await tls.handshake(TlsSocket::Role::server);
  std::string chunk(16384, 'w');
  for (int i = 0; hs && i < 1000; ++i) {  // bounded: the reset shows within a few writes
    auto written = co_await tls.write(asio::buffer(chunk));
    if (!written) {
      out = written.error();
      co_return;
    }
  }
}

asio::awaitable<void> handshake_then_reset(TlsSocket& tls) {
  auto hs = co_await tls.handshake(TlsSocket::Role::client);
  EXPECT_TRUE(hs);
  tls.socket().set_option(asio::socket_base::linger(true, 0));  // close sends RST
  tls.socket().close();
}

TEST_F(TlsSocketTest, WritingToAResetPeerIsAnErrorNotSigpipe) {
  auto [c, s] = connected_pair();
  auto client = make(std::move(c), client_settings_, false);
  auto server = make(std::move(s), server_settings_, true);
  error_code seen;
  asio::co_spawn(io_, write_until_error(server, seen), asio::detached);
  asio::co_spawn(io_, handshake_then_reset(client), asio::detached);
  run();
  EXPECT_TRUE(seen == boost::system::errc::connection_reset ||
              seen == boost::system::errc::broken_pipe)
      << seen.message();
}

TEST_F(TlsSocketTest, CancellingThePendingReadAbortsIt) {
  auto [c, s] = connected_pair();
  auto client = make(std::move(c), client_settings_, false);
  auto server = make(std::move(s), server_settings_, true);
  error_code client_seen, server_seen;
  asio::co_spawn(io_, handshake_then_read(server, TlsSocket::Role::server, server_seen),
                 asio::detached);
  asio::co_spawn(io_, handshake_then_read(client, TlsSocket::Role::client, client_seen),
                 asio::detached);
  io_.run_for(std::chrono::milliseconds(300));
  server.socket().cancel();
  io_.run_for(std::chrono::milliseconds(300));
  EXPECT_EQ(server_seen, asio::error::operation_aborted);
}

TEST_F(TlsSocketTest, VersionMismatchFailsBothHandshakesWithAnSslError) {
  server_settings_.max_version = TlsVersion::tls1_2;
  client_settings_.min_version = TlsVersion::tls1_3;
  auto [c, s] = connected_pair();
  auto client = make(std::move(c), client_settings_, false);
  auto server = make(std::move(s), server_settings_, true);
  error_code client_seen, server_seen;
  asio::co_spawn(io_, handshake_then_read(server, TlsSocket::Role::server, server_seen),
                 asio::detached);
  asio::co_spawn(io_, handshake_then_read(client, TlsSocket::Role::client, client_seen),
                 asio::detached);
  run();
  EXPECT_EQ(client_seen.category(), asio::error::get_ssl_category());
  EXPECT_TRUE(server_seen);
}

}  // namespace
}  // namespace fedgate::gateway
