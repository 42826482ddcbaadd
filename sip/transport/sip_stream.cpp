#include "sip/transport/sip_stream.hpp"

#include <openssl/err.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <cerrno>

namespace fedgate::sip {
namespace {

namespace asio = boost::asio;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

// What a failed SSL_read_ex means, reported as gateway::TlsSocket reports it.
boost::system::error_code read_error(int ssl_error, int saved_errno) {
  if (ssl_error == SSL_ERROR_ZERO_RETURN) {
    return asio::error::eof;  // close_notify received
  }
  unsigned long reason = ERR_peek_last_error();
  if (ssl_error == SSL_ERROR_SYSCALL && reason == 0 && saved_errno != 0) {
    return {saved_errno, boost::system::system_category()};
  }
  if (reason == 0 || ERR_GET_REASON(reason) == SSL_R_UNEXPECTED_EOF_WHILE_READING) {
    return asio::ssl::error::stream_truncated;
  }
  return {static_cast<int>(reason), asio::error::get_ssl_category()};
}

}  // namespace

SipStream::Socket& SipStream::socket() {
  if (auto* tls = std::get_if<gateway::TlsSocket>(&stream_)) {
    return tls->socket();
  }
  return std::get<Socket>(stream_);
}

SSL* SipStream::ssl() {
  auto* tls = std::get_if<gateway::TlsSocket>(&stream_);
  return tls ? tls->native_handle() : nullptr;
}

asio::awaitable<result<void>> SipStream::handshake(gateway::TlsSocket::Role role) {
  auto* tls = std::get_if<gateway::TlsSocket>(&stream_);
  if (!tls) {
    co_return result<void>{};
  }
  auto done = co_await tls->handshake(role);
  co_return done;
}

asio::awaitable<result<void>> SipStream::wait_readable() {
  SSL* tls = ssl();
  if (tls && SSL_has_pending(tls)) {
    co_return result<void>{};
  }
  if (tls) {
    // OpenSSL keeps its 17 kB read buffer after a record without application data (TLS 1.3
    // session tickets arrive just after the handshake); 0 means a part record is still in it.
    (void)SSL_free_buffers(tls);
  }
  auto waited = co_await socket().async_wait(Socket::wait_read, kNoThrow);
  if (std::get<0>(waited)) {
    co_return std::get<0>(waited);
  }
  co_return result<void>{};
}

asio::awaitable<result<std::size_t>> SipStream::read_some(asio::mutable_buffer buffer) {
  if (auto* tls = std::get_if<gateway::TlsSocket>(&stream_)) {
    auto n = co_await tls->read_some(buffer);
    co_return n;
  }
  auto done = co_await std::get<Socket>(stream_).async_read_some(buffer, kNoThrow);
  if (std::get<0>(done)) {
    co_return std::get<0>(done);
  }
  co_return std::get<1>(done);
}

asio::awaitable<result<std::size_t>> SipStream::read_available(asio::mutable_buffer buffer) {
  auto* tls = std::get_if<gateway::TlsSocket>(&stream_);
  if (!tls) {
    auto n = co_await read_some(buffer);
    co_return n;
  }
  SSL* ssl = tls->native_handle();
  ERR_clear_error();
  errno = 0;
  std::size_t n = 0;
  if (SSL_read_ex(ssl, buffer.data(), buffer.size(), &n) == 1) {
    co_return n;
  }
  int saved_errno = errno;
  int err = SSL_get_error(ssl, 0);
  if (err == SSL_ERROR_WANT_READ) {
    co_return std::size_t{0};
  }
  if (err == SSL_ERROR_WANT_WRITE) {  // a key update to answer first: let TlsSocket drive it
    auto driven = co_await tls->read_some(buffer);
    co_return driven;
  }
  auto ec = read_error(err, saved_errno);
  ERR_clear_error();
  co_return ec;
}

asio::awaitable<result<std::size_t>> SipStream::write(asio::const_buffer buffer) {
  if (auto* tls = std::get_if<gateway::TlsSocket>(&stream_)) {
    auto n = co_await tls->write(buffer);
    co_return n;
  }
  auto done = co_await asio::async_write(std::get<Socket>(stream_), buffer, kNoThrow);
  if (std::get<0>(done)) {
    co_return std::get<0>(done);
  }
  co_return std::get<1>(done);
}

asio::awaitable<void> SipStream::shutdown() {
  if (auto* tls = std::get_if<gateway::TlsSocket>(&stream_)) {
    auto ignored = co_await tls->shutdown();
    (void)ignored;
    co_return;
  }
  boost::system::error_code ec;
  std::get<Socket>(stream_).shutdown(Socket::shutdown_send, ec);
}

void SipStream::close() {
  boost::system::error_code ec;
  socket().close(ec);
}

}  // namespace fedgate::sip
