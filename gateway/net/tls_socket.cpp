#include "gateway/net/tls_socket.hpp"

#include <openssl/err.h>
#include <sys/socket.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cerrno>

namespace fedgate::gateway {

namespace asio = boost::asio;

namespace {

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

// What a failed SSL call means, as Asio's own ssl::stream reports it.
error_code error_from(int ssl_error, int saved_errno) {
  if (ssl_error == SSL_ERROR_ZERO_RETURN) {
    return asio::error::eof;  // close_notify received
  }
  unsigned long reason = ERR_peek_last_error();
  if (ssl_error == SSL_ERROR_SYSCALL && reason == 0) {
    if (saved_errno != 0) {
      return error_code(saved_errno, boost::system::system_category());
    }
    return asio::ssl::error::stream_truncated;
  }
  if (ERR_GET_REASON(reason) == SSL_R_UNEXPECTED_EOF_WHILE_READING) {
    return asio::ssl::error::stream_truncated;
  }
  return error_code(static_cast<int>(reason), asio::error::get_ssl_category());
}

// OpenSSL's socket BIO writes with write(2), which raises SIGPIPE on a connection the peer
// has reset. This one is the same BIO but writes with send(MSG_NOSIGNAL), as Asio does.
int write_no_sigpipe(BIO* bio, const char* data, int size) {
  int fd = -1;
  BIO_get_fd(bio, &fd);
  errno = 0;
  auto sent = ::send(fd, data, static_cast<std::size_t>(size), MSG_NOSIGNAL);
  BIO_clear_retry_flags(bio);
  if (sent <= 0 && BIO_sock_should_retry(static_cast<int>(sent))) {
    BIO_set_retry_write(bio);
  }
  return static_cast<int>(sent);
}

const BIO_METHOD* socket_method() {
  static BIO_METHOD* method = [] {
    const BIO_METHOD* base = BIO_s_socket();
    BIO_METHOD* m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK | BIO_TYPE_DESCRIPTOR,
                                 "fedgate socket");
    BIO_meth_set_write(m, &write_no_sigpipe);
    BIO_meth_set_read(m, BIO_meth_get_read(base));
    BIO_meth_set_puts(m, BIO_meth_get_puts(base));
    BIO_meth_set_ctrl(m, BIO_meth_get_ctrl(base));
    BIO_meth_set_create(m, BIO_meth_get_create(base));
    BIO_meth_set_destroy(m, BIO_meth_get_destroy(base));
    return m;
  }();
  return method;
}

}  // namespace

TlsSocket::TlsSocket(Socket socket, TlsContext context, SSL* ssl)
    : socket_(std::move(socket)), context_(std::move(context)), ssl_(ssl) {}

result<TlsSocket> TlsSocket::create(Socket socket, const TlsContext& context) {
  error_code ec;
  socket.non_blocking(true, ec);
  if (ec) {
    return ec;
  }
  SSL* ssl = SSL_new(context.native().native_handle());
  if (ssl == nullptr) {
    return asio::error::no_memory;
  }
  SSL_set_mode(ssl, SSL_MODE_RELEASE_BUFFERS);
  BIO* bio = BIO_new(socket_method());
  if (bio == nullptr) {
    SSL_free(ssl);
    ERR_clear_error();
    return asio::error::no_memory;
  }
  BIO_set_fd(bio, socket.native_handle(), BIO_NOCLOSE);
  SSL_set_bio(ssl, bio, bio);  // the SSL owns the BIO; the socket keeps the fd
  return TlsSocket(std::move(socket), context, ssl);
}

// Calls `call` until it succeeds, waiting for the readiness OpenSSL asks for in between.
template <class Call>
asio::awaitable<result<std::size_t>> TlsSocket::drive(Call call) {
  for (;;) {
    ERR_clear_error();
    errno = 0;
    std::size_t done = 0;
    int r = call(&done);
    if (r == 1) {
      co_return done;
    }
    int saved_errno = errno;
    int err = SSL_get_error(ssl_.get(), r);
    if (err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE) {
      error_code ec = error_from(err, saved_errno);
      ERR_clear_error();
      co_return ec;
    }
    auto wait = err == SSL_ERROR_WANT_READ ? Socket::wait_read : Socket::wait_write;
    auto waited = co_await socket_.async_wait(wait, kNoThrow);
    if (std::get<0>(waited)) {
      co_return std::get<0>(waited);
    }
  }
}

asio::awaitable<result<void>> TlsSocket::handshake(Role role) {
  if (role == Role::client) {
    SSL_set_connect_state(ssl_.get());
  } else {
    SSL_set_accept_state(ssl_.get());
  }
  SSL* ssl = ssl_.get();
  auto done = co_await drive([ssl](std::size_t*) { return SSL_do_handshake(ssl); });
  if (!done) {
    co_return done.error();
  }
  co_return result<void>{};
}

asio::awaitable<result<std::size_t>> TlsSocket::read_some(asio::mutable_buffer buffer) {
  SSL* ssl = ssl_.get();
  co_return co_await drive(
      [ssl, buffer](std::size_t* n) { return SSL_read_ex(ssl, buffer.data(), buffer.size(), n); });
}

asio::awaitable<result<std::size_t>> TlsSocket::write(asio::const_buffer buffer) {
  SSL* ssl = ssl_.get();
  // Without SSL_MODE_ENABLE_PARTIAL_WRITE, SSL_write_ex completes only with all of it.
  co_return co_await drive(
      [ssl, buffer](std::size_t* n) { return SSL_write_ex(ssl, buffer.data(), buffer.size(), n); });
}

asio::awaitable<result<void>> TlsSocket::shutdown() {
  SSL* ssl = ssl_.get();
  auto done = co_await drive([ssl](std::size_t*) {
    int r = SSL_shutdown(ssl);
    return r >= 0 ? 1 : r;  // 0: our close_notify is out; the peer's is not awaited
  });
  if (!done) {
    co_return done.error();
  }
  co_return result<void>{};
}

}  // namespace fedgate::gateway
