#include "xmpp/transport/s2s_listener.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <map>
#include <mutex>

namespace fedgate::xmpp {
namespace {

namespace asio = boost::asio;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

}  // namespace

// Sessions run on their own strands and end there; the count is shared, hence the lock.
struct S2sListener::PeerCounts {
  std::mutex mutex;
  std::map<asio::ip::address, std::size_t> open;

  bool admit(const asio::ip::address& address, std::size_t limit) {
    std::lock_guard lock(mutex);
    auto& n = open[address];
    if (n >= limit) {
      return false;
    }
    ++n;
    return true;
  }
  void release(const asio::ip::address& address) {
    std::lock_guard lock(mutex);
    auto found = open.find(address);
    if (found != open.end() && --found->second == 0) {
      open.erase(found);
    }
  }
};

namespace {

asio::awaitable<void> run_counted(asio::ip::tcp::socket socket, bool direct_tls, InboundDeps& deps,
                                  std::shared_ptr<S2sListener::PeerCounts> counts,
                                  asio::ip::address address) {
  co_await run_inbound_session(std::move(socket), direct_tls, deps);
  counts->release(address);
}

}  // namespace

S2sListener::S2sListener(asio::any_io_executor executor, InboundDeps& deps, bool direct_tls)
    : executor_(executor),
      acceptor_(executor),
      deps_(deps),
      direct_tls_(direct_tls),
      counts_(std::make_shared<PeerCounts>()) {}

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
    spawn(std::move(socket), strand);
  }
}

void S2sListener::spawn(asio::ip::tcp::socket socket, asio::any_io_executor strand) {
  boost::system::error_code ec;
  const auto address = socket.remote_endpoint(ec).address();
  if (ec) {
    return;  // already gone
  }
  if (counts_->admit(address, deps_.config.max_inbound_per_address)) {
    auto session = run_counted(std::move(socket), direct_tls_, deps_, counts_, address);
    asio::co_spawn(strand, std::move(session), asio::detached);
    return;
  }
  deps_.metrics.refused("too_many_streams");
  deps_.log.warn("xmpp.s2s.refused", {{"reason", "too_many_streams"},
                                      {"peer", address.to_string()},
                                      {"limit", deps_.config.max_inbound_per_address}});
  auto refusal = refuse_inbound_session(std::move(socket), direct_tls_, deps_);
  asio::co_spawn(strand, std::move(refusal), asio::detached);
}

void S2sListener::stop() {
  boost::system::error_code ec;
  acceptor_.close(ec);
}

}  // namespace fedgate::xmpp
