#include "sip/transport/connection_handle.hpp"

#include <boost/asio/ip/address.hpp>

#include "sip/codec/serializer.hpp"
#include "sip/transport/datagram_sink.hpp"
#include "sip/transport/keep_alive_negotiation.hpp"
#include "sip/transport/transport_error.hpp"

namespace fedgate::sip {

result<void> ConnectionHandle::send(const Message& message) const {
  auto wire = serialize(message);
  if (auto keep_alive = keep_alive_.lock()) {
    if (auto value = keep_alive->header_for(message)) {
      insert_header(wire, kMsKeepAliveHeader, *value);
    }
  }
  return send_bytes(std::move(wire));
}

result<void> ConnectionHandle::send_bytes(std::string bytes) const {
  if (remote_.transport == Transport::udp) {
    auto sink = datagrams_.lock();
    if (bytes.empty() && sink) {
      return result<void>{};  // a close request: nothing to close on UDP
    }
    if (!sink) {
      return make_error_code(TransportErrc::connection_closed);
    }
    boost::system::error_code ec;
    auto address = boost::asio::ip::make_address(remote_.host, ec);
    if (ec) {
      return make_error_code(TransportErrc::resolve_failed);
    }
    return sink->send_to(bytes, {address, remote_.port});
  }
  auto mailbox = mailbox_.lock();
  if (!mailbox || !mailbox->is_open()) {
    return make_error_code(TransportErrc::connection_closed);
  }
  if (bytes.empty()) {
    return result<void>{};  // empty is the close request; nothing to send
  }
  if (!mailbox->try_send(boost::system::error_code{}, std::move(bytes))) {
    if (auto refusals = refusals_.lock()) {
      refusals->fetch_add(1, std::memory_order_relaxed);
    }
    return make_error_code(TransportErrc::mailbox_full);
  }
  return result<void>{};
}

void ConnectionHandle::close() const {
  if (auto mailbox = mailbox_.lock()) {
    // If the mailbox is full the close request waits: closing the channel ends the write loop.
    if (!mailbox->try_send(boost::system::error_code{}, std::string{})) {
      mailbox->close();
    }
  }
}

bool ConnectionHandle::alive() const {
  if (remote_.transport == Transport::udp) {
    auto sink = datagrams_.lock();
    return sink && sink->is_open();
  }
  auto mailbox = mailbox_.lock();
  return mailbox && mailbox->is_open();
}

}  // namespace fedgate::sip
