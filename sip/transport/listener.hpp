// Listener: accepts SIP connections on one TCP or TLS endpoint, enforces the per-address
// connection limit, and spawns each connection onto its own strand in the TaskGroup.
// Owned by the Node; run() and the per-address counts live on the listener's strand.
// RFC 3261 §18.2.1 (server transport), RFC 5630 (TLS).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <map>
#include <optional>

#include "gateway/base/result.hpp"
#include "gateway/base/task_group.hpp"
#include "gateway/net/tls_context.hpp"
#include "sip/transport/connection.hpp"

namespace fedgate::sip {

class Listener {
 public:
  // TLS when `server_tls` is set, else plain TCP. `tasks` and `deps` must outlive every
  // connection (the Node drains `tasks` before destroying either).
  Listener(boost::asio::any_io_executor ex, TaskGroup& tasks, ConnectionDeps& deps,
           std::optional<gateway::TlsContext> server_tls);

  result<void> listen(const boost::asio::ip::tcp::endpoint& endpoint);  // port 0: any
  boost::asio::ip::tcp::endpoint local_endpoint() const;
  // The accept loop; co_spawn it on executor(). Ends when close() is called or on cancel.
  boost::asio::awaitable<void> run();
  void close();
  const boost::asio::strand<boost::asio::any_io_executor>& executor() const { return strand_; }

 private:
  boost::asio::awaitable<void> session(boost::asio::ip::tcp::socket socket,
                                       boost::asio::ip::address from);
  bool admit(const boost::asio::ip::address& from);
  void release(const boost::asio::ip::address& from);

  boost::asio::strand<boost::asio::any_io_executor> strand_;
  boost::asio::ip::tcp::acceptor acceptor_;
  TaskGroup& tasks_;
  ConnectionDeps& deps_;
  std::optional<gateway::TlsContext> server_tls_;
  std::map<boost::asio::ip::address, std::size_t> per_address_;  // strand_ only
};

}  // namespace fedgate::sip
