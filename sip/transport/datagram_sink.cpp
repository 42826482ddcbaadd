#include "sip/transport/datagram_sink.hpp"

#include <boost/asio/error.hpp>

#include "sip/transport/transport_error.hpp"

namespace fedgate::sip {

result<void> DatagramSink::send_to(std::string_view bytes,
                                   const boost::asio::ip::udp::endpoint& to) {
  bool request = bytes.rfind("SIP/2.0 ", 0) != 0;
  if (request && bytes.size() > max_request_size_) {
    return make_error_code(TransportErrc::message_too_large);
  }
  std::lock_guard lock(mutex_);
  if (socket_ == nullptr) {
    return make_error_code(TransportErrc::connection_closed);
  }
  boost::system::error_code ec;
  socket_->send_to(boost::asio::buffer(bytes.data(), bytes.size()), to, 0, ec);
  if (ec == boost::asio::error::would_block) {
    return make_error_code(TransportErrc::mailbox_full);
  }
  if (ec) {
    return ec;
  }
  return {};
}

void DatagramSink::close() {
  std::lock_guard lock(mutex_);
  socket_ = nullptr;
}

bool DatagramSink::is_open() const {
  std::lock_guard lock(mutex_);
  return socket_ != nullptr;
}

}  // namespace fedgate::sip
