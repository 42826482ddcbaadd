// UdpEndpoint: SIP over UDP on one socket (RFC 3261 §18). The receive loop hands each
// datagram's message to the MessageHandler with a ConnectionHandle that answers where
// §18.2.2 says; handle_for() sends anywhere. Owned by the Node; run() on the endpoint's strand,
// handles from any executor. RFC 3261 §18.1.1, §18.2.1, §18.2.2; RFC 3581 (rport).
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/strand.hpp>
#include <memory>
#include <string>

#include "gateway/base/result.hpp"
#include "sip/transport/connection.hpp"
#include "sip/transport/datagram_sink.hpp"

namespace fedgate::sip {

class UdpEndpoint {
 public:
  // `deps` must outlive run(); deps.pool is not used (UDP has no connections to index).
  UdpEndpoint(boost::asio::any_io_executor ex, ConnectionDeps& deps);
  ~UdpEndpoint();

  result<void> open(const boost::asio::ip::udp::endpoint& local);  // port 0: any
  boost::asio::ip::udp::endpoint local_endpoint() const;
  // The receive loop (on executor(), whoever awaits it). Ends on close() or on cancellation.
  boost::asio::awaitable<void> run();
  void close();
  const boost::asio::strand<boost::asio::any_io_executor>& executor() const { return strand_; }

  // Sends datagrams to `to`: requests up to TransportConfig::max_datagram_size (RFC 3261
  // §18.1.1; larger ones fail with message_too_large, to go over TCP), responses of any size.
  ConnectionHandle handle_for(const boost::asio::ip::udp::endpoint& to) const;

 private:
  boost::asio::awaitable<void> receive_loop();
  boost::asio::awaitable<void> on_datagram(std::string_view bytes,
                                           const boost::asio::ip::udp::endpoint& from);
  void reject(std::string_view bytes, const boost::system::error_code& ec,
              const boost::asio::ip::udp::endpoint& from);

  boost::asio::strand<boost::asio::any_io_executor> strand_;
  boost::asio::ip::udp::socket socket_;
  ConnectionDeps& deps_;
  std::shared_ptr<DatagramSink> sink_;
  std::uint32_t rejected_count_ = 0;  // strand_ only
};

// RFC 3261 §18.2.1 with RFC 3581 §4: the top Via gets received= when its sent-by host is not
// the source address, and rport=<source port> when it asked with an empty rport.
void stamp_received(Request& request, const boost::asio::ip::udp::endpoint& from);
// RFC 3261 §18.2.2 with RFC 3581 §4: where a response over UDP goes: the received address (or
// the sent-by host when it is an address), the rport port, else the sent-by port, else 5060.
// nullopt without a usable Via (the caller answers the source address then).
std::optional<boost::asio::ip::udp::endpoint> response_destination(const MessageHeaders& headers);

}  // namespace fedgate::sip
