#include "xmpp/transport/s2s_listener.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace fedgate::xmpp {
namespace {

namespace asio = boost::asio;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

}  // namespace

S2sListener::S2sListener(asio::any_io_executor executor, InboundDeps& deps, bool direct_tls)
    : executor_(executor), acceptor_(executor), deps_(deps), direct_tls_(direct_tls) {}

result<asio::ip::tcp::endpoint> S2sListener::listen(const asio::ip::tcp::endpoint& endpoint) {
  boost::system::error_code ec;
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) {
    acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  }
  if (!ec) {
    acceptor_.bind(endpoint, ec);
  }
  if (!ec) {
    acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  }
  if (ec) {
    return ec;
  }
  auto bound = acceptor_.local_endpoint(ec);
  if (ec) {
    return ec;
  }
  return bound;
}

asio::awaitable<void> S2sListener::run() {
  while (acceptor_.is_open()) {
    auto strand = asio::make_strand(executor_);
    auto [ec, socket] = co_await acceptor_.async_accept(strand, kNoThrow);
    if (ec == asio::error::operation_aborted || ec == asio::error::bad_descriptor) {
      co_return;
    }
    if (ec) {
      deps_.log.warn("xmpp.s2s.accept_error", {{"detail", ec.message()}});
      continue;
    }
    auto session = run_inbound_session(std::move(socket), direct_tls_, deps_);
    asio::co_spawn(strand, std::move(session), asio::detached);
  }
}

void S2sListener::stop() {
  boost::system::error_code ec;
  acceptor_.close(ec);
}

}  // namespace fedgate::xmpp
