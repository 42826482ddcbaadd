#include "sip/transport/sip_stream.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace fedgate::sip {
namespace {

namespace asio = boost::asio;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

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
