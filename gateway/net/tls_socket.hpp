// A lean TLS stream: OpenSSL reads and writes the TCP socket itself (SSL_set_fd, non-blocking)
// and readiness comes from the socket's async_wait, so there is no BIO pair and no 2 x 17 kB
// record buffers as in asio::ssl::stream (about 21-30 kB per idle connection instead of ~100 kB,
// tests/bench/net). Owned by gw_net; use it on one strand. RFC 8446 / 5246 via OpenSSL.
#pragma once

#include <openssl/ssl.h>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstddef>
#include <memory>

#include "gateway/base/result.hpp"
#include "gateway/net/tls_context.hpp"

namespace fedgate::gateway {

class TlsSocket {
 public:
  using Socket = boost::asio::ip::tcp::socket;
  enum class Role { client, server };

  // The socket must be connected. The context is shared (kept alive by this object).
  static result<TlsSocket> create(Socket socket, const TlsContext& context);

  // Errors: ssl category (OpenSSL's reason), asio::error::eof after close_notify,
  // asio::ssl::error::stream_truncated on EOF without close_notify, operation_aborted when
  // socket().cancel() is called (timeouts).
  boost::asio::awaitable<result<void>> handshake(Role role);
  boost::asio::awaitable<result<std::size_t>> read_some(boost::asio::mutable_buffer buffer);
  // Writes all of `buffer` (it must stay valid and unchanged until completion).
  boost::asio::awaitable<result<std::size_t>> write(boost::asio::const_buffer buffer);
  // Sends close_notify; does not wait for the peer's.
  boost::asio::awaitable<result<void>> shutdown();

  SSL* native_handle() const { return ssl_.get(); }
  Socket& socket() { return socket_; }

 private:
  struct SslFree {
    void operator()(SSL* ssl) const noexcept { SSL_free(ssl); }
  };
  TlsSocket(Socket socket, TlsContext context, SSL* ssl);

  template <class Call>
  boost::asio::awaitable<result<std::size_t>> drive(Call call);

  Socket socket_;
  TlsContext context_;  // the SSL_CTX must outlive the SSL
  std::unique_ptr<SSL, SslFree> ssl_;
};

}  // namespace fedgate::gateway
