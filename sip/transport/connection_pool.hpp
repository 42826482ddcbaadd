// ConnectionPool: one SIP connection per peer, reused in both directions (RFC 5923 §4): a
// request to a peer goes on any live connection registered under its (host, port, transport),
// inbound ones included; otherwise the pool dials, once for all concurrent callers. Owned by
// the Node; its index lives on its own strand; connect() may be awaited from any executor.
// RFC 3261 §18.1.1, RFC 5630.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/strand.hpp>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "gateway/base/result.hpp"
#include "gateway/base/task_group.hpp"
#include "gateway/net/resolver.hpp"
#include "gateway/net/tls_context.hpp"
#include "sip/transport/connection.hpp"

namespace fedgate::sip {

class UdpEndpoint;

class ConnectionPool {
 public:
  // `client_tls` is needed to dial TLS peers; `tasks` owns the dialled connections.
  ConnectionPool(boost::asio::any_io_executor ex, TaskGroup& tasks, ConnectionDeps& deps,
                 gateway::Resolver& resolver, std::optional<gateway::TlsContext> client_tls);

  // A live connection to `peer`, or a new one: resolve, connect, TLS handshake, peer check
  // (the certificate must cover peer.host unless it is an IP literal) and the allow-list.
  // Callers that ask while a dial to `peer` is under way share its outcome.
  boost::asio::awaitable<result<ConnectionHandle>> connect(PeerKey peer);

  // Requests to Transport::udp peers then go through `udp` (the host is resolved first; the
  // handle sends datagrams, RFC 3261 §18.1.1). Without it they fail with connect_failed.
  void attach_udp(UdpEndpoint* udp) { udp_ = udp; }

  // Called by connections (any executor): index `handle` under `keys` / drop connection `id`.
  void add(std::vector<PeerKey> keys, ConnectionHandle handle);
  void remove(std::uint64_t id);
  // Number of distinct live connections indexed (for tests and the admin API).
  boost::asio::awaitable<std::size_t> size();

 private:
  std::optional<ConnectionHandle> find(const PeerKey& peer) const;
  struct Dial;  // a dial under way, and the callers waiting for it
  boost::asio::awaitable<result<ConnectionHandle>> connect_on_strand(PeerKey peer);
  boost::asio::awaitable<result<ConnectionHandle>> open_connection(const PeerKey& peer);
  boost::asio::awaitable<result<SipStream>> dial(const PeerKey& peer);
  boost::asio::awaitable<result<boost::asio::ip::address>> address_of(const PeerKey& peer);
  boost::asio::awaitable<result<boost::asio::ip::tcp::socket>> open_socket(const PeerKey& peer);
  void index(const std::vector<PeerKey>& keys, const ConnectionHandle& handle);

  boost::asio::strand<boost::asio::any_io_executor> strand_;
  TaskGroup& tasks_;
  ConnectionDeps& deps_;
  gateway::Resolver& resolver_;
  std::optional<gateway::TlsContext> client_tls_;
  UdpEndpoint* udp_ = nullptr;
  std::map<PeerKey, std::vector<ConnectionHandle>> by_key_;  // strand_ only
  std::map<PeerKey, std::shared_ptr<Dial>> dialling_;        // strand_ only
};

}  // namespace fedgate::sip
