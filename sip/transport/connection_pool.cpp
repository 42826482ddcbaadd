#include "sip/transport/connection_pool.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <set>

#include "sip/transport/peer_auth.hpp"
#include "sip/transport/transport_error.hpp"
#include "sip/transport/udp_endpoint.hpp"

namespace fedgate::sip {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

asio::awaitable<void> connect_into(tcp::socket& socket, tcp::endpoint to,
                                   boost::system::error_code& out) {
  co_await asio::this_coro::reset_cancellation_state(asio::enable_total_cancellation());
  auto done = co_await socket.async_connect(to, kNoThrow);
  out = std::get<0>(done);
}

bool is_ip_literal(const std::string& host) {
  boost::system::error_code ec;
  asio::ip::make_address(host, ec);
  return !ec;
}

}  // namespace

ConnectionPool::ConnectionPool(asio::any_io_executor ex, TaskGroup& tasks, ConnectionDeps& deps,
                               gateway::Resolver& resolver,
                               std::optional<gateway::TlsContext> client_tls)
    : strand_(asio::make_strand(ex)),
      tasks_(tasks),
      deps_(deps),
      resolver_(resolver),
      client_tls_(std::move(client_tls)) {}

asio::awaitable<result<ConnectionHandle>> ConnectionPool::connect(PeerKey peer) {
  auto on_strand = [this, peer = std::move(peer)]() { return connect_on_strand(peer); };
  auto found = co_await asio::co_spawn(strand_, on_strand, asio::use_awaitable);
  co_return found;
}

struct ConnectionPool::Dial {
  explicit Dial(const asio::any_io_executor& ex)
      : done(ex, asio::steady_timer::time_point::max()) {}
  asio::steady_timer done;  // cancelled when the outcome is known
  result<ConnectionHandle> outcome = make_error_code(TransportErrc::connect_failed);
};

asio::awaitable<result<ConnectionHandle>> ConnectionPool::connect_on_strand(PeerKey peer) {
  if (peer.transport == Transport::udp) {
    auto address = co_await address_of(peer);
    if (!address || udp_ == nullptr) {
      co_return address ? make_error_code(TransportErrc::connect_failed) : address.error();
    }
    co_return udp_->handle_for({*address, peer.port});
  }
  if (auto live = find(peer)) {
    co_return *live;
  }
  if (auto it = dialling_.find(peer); it != dialling_.end()) {
    auto dial = it->second;  // another caller is dialling: share its outcome
    auto waited = co_await dial->done.async_wait(kNoThrow);
    (void)waited;
    co_return dial->outcome;
  }
  auto dial = std::make_shared<Dial>(strand_);
  dialling_.emplace(peer, dial);
  // Also when this coroutine is cancelled or throws. A constructor, not aggregate brace-init
  // (GCC 12 may destroy such temporaries twice in coroutines).
  struct Release {
    Release(ConnectionPool& p, const PeerKey& k, Dial& d) : pool(p), peer(k), dial(d) {}
    ConnectionPool& pool;
    const PeerKey& peer;
    Dial& dial;
    ~Release() {
      pool.dialling_.erase(peer);
      dial.done.cancel();
    }
  };
  Release release(*this, peer, *dial);
  dial->outcome = co_await open_connection(peer);
  co_return dial->outcome;
}

asio::awaitable<result<ConnectionHandle>> ConnectionPool::open_connection(const PeerKey& peer) {
  auto stream = co_await dial(peer);
  if (!stream) {
    deps_.metrics.refused(reason_token(stream.error()));
    deps_.log.info("sip.transport.dial_failed", {{"peer", peer.str()},
                                                 {"reason", reason_token(stream.error())},
                                                 {"detail", stream.error().message()}});
    co_return stream.error();
  }
  boost::system::error_code ec;
  auto endpoint = stream->socket().remote_endpoint(ec);
  auto conn_strand = asio::make_strand(strand_.get_inner_executor());
  ConnectionSetup setup;  // no brace-init of aggregates in coroutines (GCC 12)
  setup.id = next_connection_id();
  setup.direction = Direction::outbound;
  setup.remote = PeerKey(endpoint.address().to_string(), endpoint.port(), peer.transport);
  setup.aliases.push_back(peer);
  setup.peer = peer.host;
  open_channel(setup, conn_strand, deps_.config);
  auto handle = handle_of(setup);
  index(setup.aliases, handle);  // now, so that the next connect() finds it
  tasks_.spawn("sip.outbound", run_connection(std::move(*stream), std::move(setup), deps_));
  co_return handle;
}

asio::awaitable<result<SipStream>> ConnectionPool::dial(const PeerKey& peer) {
  auto socket = co_await open_socket(peer);
  if (!socket) {
    co_return socket.error();
  }
  if (peer.transport == Transport::tcp) {
    co_return SipStream(std::move(*socket));
  }
  if (!client_tls_) {
    co_return make_error_code(TransportErrc::handshake_failed);
  }
  auto tls = gateway::TlsSocket::create(std::move(*socket), *client_tls_);
  if (!tls) {
    co_return tls.error();
  }
  bool literal = is_ip_literal(peer.host);
  if (!literal) {
    auto sni = gateway::set_client_sni(tls->native_handle(), peer.host);
    (void)sni;
  }
  SipStream stream(std::move(*tls));
  std::string domain = literal ? std::string() : peer.host;
  auto securing =
      secure_stream(stream, gateway::PeerRole::server, std::move(domain), deps_.config, deps_.log);
  auto identity = co_await std::move(securing);
  if (!identity) {
    stream.close();
    co_return identity.error();
  }
  co_return stream;
}

asio::awaitable<result<asio::ip::address>> ConnectionPool::address_of(const PeerKey& peer) {
  boost::system::error_code literal_ec;
  auto address = asio::ip::make_address(peer.host, literal_ec);
  if (literal_ec) {
    auto addresses = co_await resolver_.resolve_host(peer.host);
    if (!addresses || addresses->empty()) {
      co_return make_error_code(TransportErrc::resolve_failed);
    }
    address = addresses->front().address;
  }
  co_return address;
}

asio::awaitable<result<tcp::socket>> ConnectionPool::open_socket(const PeerKey& peer) {
  auto resolved = co_await address_of(peer);
  if (!resolved) {
    co_return resolved.error();
  }
  auto address = *resolved;
  using namespace asio::experimental::awaitable_operators;
  tcp::socket socket(strand_.get_inner_executor());
  boost::system::error_code connected = asio::error::operation_aborted;
  bool timed_out = false;
  auto connecting = connect_into(socket, {address, peer.port}, connected);
  auto deadline = cancel_after(socket, deps_.config.connect_timeout, timed_out);
  auto race = std::move(connecting) || std::move(deadline);
  co_await std::move(race);
  if (connected || timed_out) {
    co_return make_error_code(TransportErrc::connect_failed);
  }
  co_return socket;
}

std::optional<ConnectionHandle> ConnectionPool::find(const PeerKey& peer) const {
  for (const auto& key : {peer, PeerKey{peer.host, 0, peer.transport}}) {
    auto it = by_key_.find(key);
    if (it == by_key_.end()) {
      continue;
    }
    for (const auto& handle : it->second) {
      if (handle.alive()) {
        return handle;
      }
    }
  }
  return std::nullopt;
}

void ConnectionPool::index(const std::vector<PeerKey>& keys, const ConnectionHandle& handle) {
  for (const auto& key : keys) {
    auto& list = by_key_[key];
    auto same = [&](const ConnectionHandle& h) { return h.id() == handle.id(); };
    if (std::none_of(list.begin(), list.end(), same)) {
      list.push_back(handle);
    }
  }
}

void ConnectionPool::add(std::vector<PeerKey> keys, ConnectionHandle handle) {
  asio::post(strand_,
             [this, keys = std::move(keys), handle = std::move(handle)] { index(keys, handle); });
}

void ConnectionPool::remove(std::uint64_t id) {
  asio::post(strand_, [this, id] {
    for (auto it = by_key_.begin(); it != by_key_.end();) {
      std::erase_if(it->second, [id](const ConnectionHandle& h) { return h.id() == id; });
      it = it->second.empty() ? by_key_.erase(it) : std::next(it);
    }
  });
}

asio::awaitable<std::size_t> ConnectionPool::size() {
  auto count = [this]() -> asio::awaitable<std::size_t> {
    std::set<std::uint64_t> live;
    for (const auto& [key, list] : by_key_) {
      for (const auto& handle : list) {
        if (handle.alive()) {
          live.insert(handle.id());
        }
      }
    }
    co_return live.size();
  };
  auto n = co_await asio::co_spawn(strand_, count, asio::use_awaitable);
  co_return n;
}

}  // namespace fedgate::sip
