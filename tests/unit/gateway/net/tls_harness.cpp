#include "tls_harness.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>

namespace fedgate::gateway {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using Stream = asio::ssl::stream<tcp::socket>;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

void record(Stream& stream, const error_code& ec, const PeerPolicy& policy, HandshakeSide& side) {
  side.handshake = ec;
  if (ec) {
    return;
  }
  SSL* ssl = stream.native_handle();
  side.peer = check_peer(ssl, policy);
  side.protocol = SSL_get_version(ssl);
  side.cipher = SSL_CIPHER_get_name(SSL_get_current_cipher(ssl));
  side.server_name = requested_server_name(ssl);
}

asio::awaitable<void> serve(tcp::acceptor& acceptor, const TlsContext& ctx,
                            const PeerPolicy& policy, HandshakeSide& side) {
  // No structured bindings of co_await results: GCC 12 destroys them twice in coroutines.
  auto accepted = co_await acceptor.async_accept(kNoThrow);
  if (std::get<0>(accepted)) {
    side.handshake = std::get<0>(accepted);
    co_return;
  }
  Stream stream(std::move(std::get<1>(accepted)), ctx.native());
  auto hs = co_await stream.async_handshake(asio::ssl::stream_base::server, kNoThrow);
  record(stream, std::get<0>(hs), policy, side);
}

asio::awaitable<void> dial(tcp::endpoint to, const TlsContext& ctx, std::string sni,
                           const PeerPolicy& policy, HandshakeSide& side) {
  Stream stream(co_await asio::this_coro::executor, ctx.native());
  if (!sni.empty()) {
    (void)set_client_sni(stream.native_handle(), sni);
  }
  auto connected = co_await stream.next_layer().async_connect(to, kNoThrow);
  if (std::get<0>(connected)) {
    side.handshake = std::get<0>(connected);
    co_return;
  }
  auto hs = co_await stream.async_handshake(asio::ssl::stream_base::client, kNoThrow);
  record(stream, std::get<0>(hs), policy, side);
}

}  // namespace

HandshakeOutcome run_handshake(const TlsContext& server, const TlsContext& client,
                               const std::string& sni, const PeerPolicy& server_policy,
                               const PeerPolicy& client_policy) {
  asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  HandshakeOutcome out;
  asio::co_spawn(io, serve(acceptor, server, server_policy, out.server), asio::detached);
  asio::co_spawn(io, dial(acceptor.local_endpoint(), client, sni, client_policy, out.client),
                 asio::detached);
  io.run_for(std::chrono::seconds(10));
  return out;
}

}  // namespace fedgate::gateway
