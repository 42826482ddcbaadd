#include "sip/transport/listener.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "sip/transport/transport_error.hpp"

namespace fedgate::sip {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

}  // namespace

Listener::Listener(asio::any_io_executor ex, TaskGroup& tasks, ConnectionDeps& deps,
                   std::optional<gateway::TlsContext> server_tls)
    : strand_(asio::make_strand(ex)),
      acceptor_(strand_),
      tasks_(tasks),
      deps_(deps),
      server_tls_(std::move(server_tls)) {}

result<void> Listener::listen(const tcp::endpoint& endpoint) {
  boost::system::error_code ec;
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) {
    acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
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
  return result<void>{};
}

tcp::endpoint Listener::local_endpoint() const {
  boost::system::error_code ec;
  return acceptor_.local_endpoint(ec);
}

asio::awaitable<void> Listener::run() {
  auto transport = server_tls_ ? Transport::tls : Transport::tcp;
  deps_.log.info("sip.transport.listening",
                 {{"transport", to_string(transport)}, {"endpoint", local_endpoint().port()}});
  for (;;) {
    auto accepted = co_await acceptor_.async_accept(strand_.get_inner_executor(), kNoThrow);
    auto ec = std::get<0>(accepted);
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) {
      co_return;
    }
    if (ec) {
      deps_.log.warn("sip.transport.accept_error", {{"error", ec.message()}});
      continue;  // e.g. EMFILE: the next accept may succeed
    }
    auto socket = std::move(std::get<1>(accepted));
    auto from = socket.remote_endpoint(ec).address();
    if (ec || !admit(from)) {
      deps_.metrics.refused("connection_limit");
      deps_.log.info("sip.transport.refused",
                     {{"peer", from.to_string()}, {"reason", "connection_limit"}});
      socket.close(ec);
      continue;
    }
    tasks_.spawn("sip.inbound", session(std::move(socket), from));
  }
}

void Listener::close() {
  asio::post(strand_, [this] {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
  });
}

asio::awaitable<void> Listener::session(tcp::socket socket, asio::ip::address from) {
  if (server_tls_) {
    auto tls = gateway::TlsSocket::create(std::move(socket), *server_tls_);
    if (tls) {
      auto serving = serve_inbound(SipStream(std::move(*tls)), deps_);
      co_await std::move(serving);
    }
  } else {
    auto serving = serve_inbound(SipStream(std::move(socket)), deps_);
    co_await std::move(serving);
  }
  asio::post(strand_, [this, from] { release(from); });
}

bool Listener::admit(const asio::ip::address& from) {
  auto& count = per_address_[from];
  if (count >= deps_.config.max_connections_per_address) {
    return false;
  }
  ++count;
  return true;
}

void Listener::release(const asio::ip::address& from) {
  auto it = per_address_.find(from);
  if (it != per_address_.end() && --it->second == 0) {
    per_address_.erase(it);
  }
}

}  // namespace fedgate::sip
