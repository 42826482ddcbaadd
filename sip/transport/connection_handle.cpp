#include "sip/transport/connection_handle.hpp"

#include "sip/codec/serializer.hpp"
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
  auto mailbox = mailbox_.lock();
  if (!mailbox || !mailbox->is_open()) {
    return make_error_code(TransportErrc::connection_closed);
  }
  if (bytes.empty()) {
    return result<void>{};  // empty is the close request; nothing to send
  }
  if (!mailbox->try_send(boost::system::error_code{}, std::move(bytes))) {
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
  auto mailbox = mailbox_.lock();
  return mailbox && mailbox->is_open();
}

}  // namespace fedgate::sip
