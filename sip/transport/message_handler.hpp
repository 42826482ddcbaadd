// MessageHandler: the port through which a connection's read loop hands each parsed message
// up (to the transaction layer in the Node, to a fake in tests). Implemented above sip_net;
// called on the receiving connection's strand, in arrival order. RFC 3261 §18.1.2/§18.2.1.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <vector>

#include "sip/codec/message.hpp"
#include "sip/transport/connection_handle.hpp"

namespace fedgate::sip {

class MessageHandler {
 public:
  virtual ~MessageHandler() = default;
  // `from` replies on the same connection (RFC 3261 §18.2.2). The read loop waits for this
  // coroutine before reading the next message: keep it short or hand the work on.
  virtual boost::asio::awaitable<void> on_message(Message message, ConnectionHandle from) = 0;
  // The fast path: takes every message of `batch` (one read's worth, in order) without a
  // coroutine, queuing them for its own executor, and leaves `batch` empty. False: nothing
  // taken (no fast path, or its queue is long: back-pressure), the read loop then awaits
  // on_message for each.
  virtual bool take_messages(std::vector<Message>& batch, const ConnectionHandle& from) {
    (void)batch;
    (void)from;
    return false;
  }
};

}  // namespace fedgate::sip
