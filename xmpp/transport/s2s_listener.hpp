// S2sListener: accepts s2s connections on one endpoint (5269 with STARTTLS, or a Direct TLS
// port per XEP-0368) and spawns one inbound session per connection on its own strand.
// Owned by the node; runs on the node's executor. RFC 6120 §3.2 (ports), XEP-0368.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <memory>

#include "gateway/base/result.hpp"
#include "xmpp/transport/inbound_session.hpp"

namespace fedgate::xmpp {

class S2sListener {
 public:
  // `deps` must outlive the listener and every session it spawned.
  S2sListener(boost::asio::any_io_executor executor, InboundDeps& deps, bool direct_tls);

  // Binds and listens (port 0: any free port); returns the bound endpoint.
  result<boost::asio::ip::tcp::endpoint> listen(const boost::asio::ip::tcp::endpoint& endpoint);
  // The accept loop; ends when stop() closes the acceptor.
  boost::asio::awaitable<void> run();
  void stop();

  struct PeerCounts;  // open inbound streams per peer address, shared with the sessions

 private:
  boost::asio::any_io_executor executor_;
  boost::asio::ip::tcp::acceptor acceptor_;
  void spawn(boost::asio::ip::tcp::socket socket, boost::asio::any_io_executor strand);

  InboundDeps& deps_;
  bool direct_tls_;
  std::shared_ptr<PeerCounts> counts_;
};

}  // namespace fedgate::xmpp
