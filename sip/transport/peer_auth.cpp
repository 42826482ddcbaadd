#include "sip/transport/peer_auth.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "sip/transport/transport_error.hpp"

namespace fedgate::sip {
namespace {

namespace asio = boost::asio;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

asio::awaitable<void> handshake_into(SipStream& stream, gateway::TlsSocket::Role role,
                                     result<void>& out) {
  co_await asio::this_coro::reset_cancellation_state(asio::enable_total_cancellation());
  auto done = co_await stream.handshake(role);
  out = done;
}

}  // namespace

asio::awaitable<void> cancel_after(SipStream::Socket& socket, Duration after, bool& fired) {
  co_await asio::this_coro::reset_cancellation_state(asio::enable_total_cancellation());
  auto ex = co_await asio::this_coro::executor;
  asio::steady_timer timer(ex, after);
  auto waited = co_await timer.async_wait(kNoThrow);
  if (!std::get<0>(waited)) {
    fired = true;
    boost::system::error_code ignored;
    socket.cancel(ignored);
  }
}

asio::awaitable<result<gateway::PeerIdentity>> secure_stream(SipStream& stream,
                                                             gateway::PeerRole peer_role,
                                                             std::string domain,
                                                             const TransportConfig& config,
                                                             const Logger& log) {
  if (stream.transport() == Transport::tcp) {
    co_return gateway::PeerIdentity{};
  }
  using namespace asio::experimental::awaitable_operators;
  auto role = peer_role == gateway::PeerRole::client ? gateway::TlsSocket::Role::server
                                                     : gateway::TlsSocket::Role::client;
  result<void> shaken = make_error_code(TransportErrc::handshake_failed);
  bool timed_out = false;
  auto handshake = handshake_into(stream, role, shaken);
  auto deadline = cancel_after(stream.socket(), config.handshake_timeout, timed_out);
  auto race = std::move(handshake) || std::move(deadline);
  co_await std::move(race);
  if (timed_out) {
    co_return make_error_code(TransportErrc::handshake_timeout);
  }
  if (!shaken) {
    log.debug("sip.transport.handshake_error", {{"detail", shaken.error().message()}});
    co_return make_error_code(TransportErrc::handshake_failed);
  }
  gateway::PeerPolicy policy;  // no brace-init of aggregates in coroutines (GCC 12)
  policy.role = peer_role;
  policy.domain = std::move(domain);
  auto identity = gateway::check_peer(stream.ssl(), policy);
  if (!identity) {
    co_return identity.error();
  }
  if (config.allow_subject && !config.allow_subject(identity->certificate)) {
    co_return make_error_code(TransportErrc::subject_not_allowed);
  }
  co_return identity;
}

}  // namespace fedgate::sip
