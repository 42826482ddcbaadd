// SipStream: one connected byte stream for SIP, plain TCP or TLS (gateway::TlsSocket), with
// result<> operations. Owned by its connection's coroutine frame; used on that connection's
// strand only. RFC 3261 §18.3 (stream transports), RFC 5630 (SIP over TLS).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstddef>
#include <variant>

#include "gateway/base/result.hpp"
#include "gateway/net/tls_socket.hpp"
#include "sip/transport/transport_types.hpp"

namespace fedgate::sip {

class SipStream {
 public:
  using Socket = boost::asio::ip::tcp::socket;

  explicit SipStream(Socket socket) : stream_(std::move(socket)) {}
  explicit SipStream(gateway::TlsSocket tls) : stream_(std::move(tls)) {}

  Transport transport() const {
    return std::holds_alternative<gateway::TlsSocket>(stream_) ? Transport::tls : Transport::tcp;
  }
  Socket& socket();
  // nullptr on TCP.
  SSL* ssl();

  // TLS only (a no-op on TCP).
  boost::asio::awaitable<result<void>> handshake(gateway::TlsSocket::Role role);
  // Completes when the socket is readable or TLS already holds decrypted data, so that
  // callers need no read buffer while the connection is idle. TLS: first hands OpenSSL's
  // empty record buffers back (SSL_free_buffers), so an idle connection holds none.
  boost::asio::awaitable<result<void>> wait_readable();
  boost::asio::awaitable<result<std::size_t>> read_some(boost::asio::mutable_buffer buffer);
  // After wait_readable(): reads what is there without waiting again. TLS returns 0 when the
  // bytes held no application data (a post-handshake ticket, part of a record); call
  // wait_readable() again then. TCP behaves as read_some().
  boost::asio::awaitable<result<std::size_t>> read_available(boost::asio::mutable_buffer buffer);
  // Writes all of `buffer`, which must stay valid until completion.
  boost::asio::awaitable<result<std::size_t>> write(boost::asio::const_buffer buffer);
  // TLS: close_notify; TCP: shutdown(send). Then the socket is closed by close().
  boost::asio::awaitable<void> shutdown();
  void close();

 private:
  std::variant<Socket, gateway::TlsSocket> stream_;
};

}  // namespace fedgate::sip
