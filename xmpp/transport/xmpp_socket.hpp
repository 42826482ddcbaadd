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

  // Sets TCP_NODELAY: sessions write whole bursts at once, and Nagle's algorithm against
  // the peer's delayed ACK would hold single stanzas back by tens of milliseconds.
  explicit XmppSocket(Socket socket) : tcp_(std::move(socket)) {
    boost::system::error_code ignored;
    tcp_->set_option(boost::asio::ip::tcp::no_delay(true), ignored);
  }

  bool is_tls() const { return tls_.has_value(); }
  Socket& socket() { return tls_ ? tls_->socket() : *tcp_; }
  SSL* ssl() { return tls_ ? tls_->native_handle() : nullptr; }

  // Wraps the TCP socket in TLS and runs the handshake. `sni` (client role only) is the
  // remote domain (RFC 6120 §13.7.1.2); the server side picks its certificate by SNI.
  boost::asio::awaitable<result<void>> start_tls(const gateway::TlsContext& context,
                                                 gateway::TlsSocket::Role role,
                                                 std::string_view sni);
  boost::asio::awaitable<result<std::size_t>> read_some(boost::asio::mutable_buffer buffer);
  // Before waiting for readability: true when TLS already holds decrypted bytes (read them
  // now). read_available() then takes what is there: 0 when nothing (or only a TLS record
  // without application data) was.
  bool prepare_to_wait();
  // A quiet stream: gives OpenSSL's idle read and write buffers back (kept while busy: freeing
  // and allocating ~17 kB on every wait cost more than the stanzas themselves).
  void release_buffers();
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
