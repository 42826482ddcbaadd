#include "xmpp/transport/xmpp_socket.hpp"

#include <openssl/err.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace fedgate::xmpp {
namespace {

namespace asio = boost::asio;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

}  // namespace

asio::awaitable<result<void>> XmppSocket::start_tls(const gateway::TlsContext& context,
                                                    gateway::TlsSocket::Role role,
                                                    std::string_view sni) {
  if (tls_ || !tcp_) {
    co_return make_error_code(asio::error::already_connected);
  }
  auto created = gateway::TlsSocket::create(std::move(*tcp_), context);
  tcp_.reset();
  if (!created) {
    co_return created.error();
  }
  tls_.emplace(std::move(*created));
  if (role == gateway::TlsSocket::Role::client && !sni.empty()) {
    auto named = gateway::set_client_sni(tls_->native_handle(), sni);
    if (!named) {
      co_return named.error();
    }
  }
  auto shaken = co_await tls_->handshake(role);
  co_return shaken;
}

asio::awaitable<result<std::size_t>> XmppSocket::read_some(asio::mutable_buffer buffer) {
  if (tls_) {
    auto n = co_await tls_->read_some(buffer);
    co_return n;
  }
  auto [ec, n] = co_await tcp_->async_read_some(buffer, kNoThrow);
  if (ec) {
    co_return ec;
  }
  co_return n;
}

bool XmppSocket::prepare_to_wait() {
  SSL* ssl = this->ssl();
  if (ssl == nullptr) {
    return false;
  }
  // Processed application data only: a part record also counts for SSL_has_pending(), and
  // reading then would return nothing, again and again, instead of waiting for the rest.
  if (SSL_pending(ssl) > 0) {
    return true;
  }
  return false;
}

void XmppSocket::release_buffers() {
  if (SSL* ssl = this->ssl()) {
    (void)SSL_free_buffers(ssl);  // 0 when a part record is still buffered: it stays, as it must
  }
}

asio::awaitable<result<std::size_t>> XmppSocket::read_available(asio::mutable_buffer buffer) {
  if (!tls_) {
    boost::system::error_code ec;
    tcp_->non_blocking(true, ec);
    const std::size_t n = tcp_->read_some(buffer, ec);
    if (ec == asio::error::would_block || ec == asio::error::try_again) {
      co_return std::size_t{0};
    }
    if (ec) {
      co_return ec;
    }
    co_return n;
  }
  SSL* ssl = tls_->native_handle();
  ERR_clear_error();
  std::size_t n = 0;
  if (SSL_read_ex(ssl, buffer.data(), buffer.size(), &n) == 1) {
    co_return n;
  }
  const int err = SSL_get_error(ssl, 0);
  ERR_clear_error();
  if (err == SSL_ERROR_WANT_READ) {
    co_return std::size_t{0};
  }
  // A key update to answer, close_notify, or a failure: TlsSocket drives it and reports.
  auto driven = co_await tls_->read_some(buffer);
  co_return driven;
}

asio::awaitable<result<std::size_t>> XmppSocket::write(asio::const_buffer buffer) {
  if (tls_) {
    auto n = co_await tls_->write(buffer);
    co_return n;
  }
  auto [ec, n] = co_await asio::async_write(*tcp_, buffer, kNoThrow);
  if (ec) {
    co_return ec;
  }
  co_return n;
}

asio::awaitable<void> XmppSocket::shutdown() {
  if (tls_) {
    auto ignored = co_await tls_->shutdown();
    (void)ignored;
    co_return;
  }
  boost::system::error_code ec;
  tcp_->shutdown(Socket::shutdown_send, ec);
}

void XmppSocket::close() {
  boost::system::error_code ec;
  socket().close(ec);
}

}  // namespace fedgate::xmpp
