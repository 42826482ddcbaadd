#include "xmpp/transport/xmpp_socket.hpp"

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
