// DatagramSink: how ConnectionHandles send on a UdpEndpoint's socket from any executor: a
// non-blocking sendto under a mutex, refused once the endpoint has closed. Owned (shared) by
// the UdpEndpoint; handles hold it weakly. RFC 3261 §18.1.1 (the UDP size limit for requests).
#pragma once

#include <boost/asio/ip/udp.hpp>
#include <cstddef>
#include <mutex>
#include <string_view>

#include "gateway/base/result.hpp"

namespace fedgate::sip {

class DatagramSink {
 public:
  DatagramSink(boost::asio::ip::udp::socket& socket, std::size_t max_request_size)
      : socket_(&socket), max_request_size_(max_request_size) {}

  // One datagram to `to`. Errors: message_too_large for a request above the limit (RFC 3261
  // §18.1.1: send it over TCP instead), mailbox_full when the socket buffer is full,
  // connection_closed after close(), or the socket's own error.
  result<void> send_to(std::string_view bytes, const boost::asio::ip::udp::endpoint& to);
  void close();
  bool is_open() const;

 private:
  mutable std::mutex mutex_;
  boost::asio::ip::udp::socket* socket_;  // null once closed
  std::size_t max_request_size_;
};

}  // namespace fedgate::sip
