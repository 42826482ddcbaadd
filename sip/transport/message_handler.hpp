// MessageHandler: the port through which a connection's read loop hands each parsed message
// up (to the transaction layer in the Node, to a fake in tests). Implemented above sip_net;
// called on the receiving connection's strand, one message at a time. RFC 3261 §18.1.2/§18.2.1.
#pragma once

#include <boost/asio/awaitable.hpp>

#include "sip/codec/message.hpp"
#include "sip/transport/connection_handle.hpp"

namespace fedgate::sip {

class MessageHandler {
 public:
  virtual ~MessageHandler() = default;
  // `from` replies on the same connection (RFC 3261 §18.2.2). The read loop waits for this
  // coroutine before reading the next message: keep it short or hand the work on.
  virtual boost::asio::awaitable<void> on_message(Message message, ConnectionHandle from) = 0;
};

}  // namespace fedgate::sip
