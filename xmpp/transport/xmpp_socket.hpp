// XmppSocket: the byte stream under one s2s session — plain TCP that may be upgraded in place
// by STARTTLS (RFC 6120 §5.4.3.3), or TLS from the start (XEP-0368 Direct TLS). Owned by its
// session's coroutine frame and used on that session's strand only.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstddef>
#include <optional>
#include <string_view>

#include "gateway/base/result.hpp"
#include "gateway/net/tls_socket.hpp"

namespace fedgate::xmpp {

class XmppSocket {
 public:
  using Socket = boost::asio::ip::tcp::socket;

  explicit XmppSocket(Socket socket) : tcp_(std::move(socket)) {}

  bool is_tls() const { return tls_.has_value(); }
  Socket& socket() { return tls_ ? tls_->socket() : *tcp_; }
  SSL* ssl() { return tls_ ? tls_->native_handle() : nullptr; }

  // Wraps the TCP socket in TLS and runs the handshake. `sni` (client role only) is the
  // remote domain (RFC 6120 §13.7.1.2); the server side picks its certificate by SNI.
  boost::asio::awaitable<result<void>> start_tls(const gateway::TlsContext& context,
                                                 gateway::TlsSocket::Role role,
                                                 std::string_view sni);
  boost::asio::awaitable<result<std::size_t>> read_some(boost::asio::mutable_buffer buffer);
  // Waits until bytes can be read (or TLS holds some already) without holding a buffer; frees
  // OpenSSL's read buffer first. Then read_available() takes what is there: 0 when nothing
  // (or only a TLS record without application data) was.
  boost::asio::awaitable<result<void>> wait_readable();
  boost::asio::awaitable<result<std::size_t>> read_available(boost::asio::mutable_buffer buffer);
  // Writes all of `buffer`, which must stay valid until completion.
  boost::asio::awaitable<result<std::size_t>> write(boost::asio::const_buffer buffer);
  // TLS: close_notify; TCP: shutdown(send). The socket itself is closed by close().
  boost::asio::awaitable<void> shutdown();
  void close();

 private:
  std::optional<Socket> tcp_;
  std::optional<gateway::TlsSocket> tls_;
};

}  // namespace fedgate::xmpp
