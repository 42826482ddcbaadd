// ConnectionHandle: how anything outside a connection's strand sends on it — a weak
// reference to the connection's mailbox (a thread-safe channel the write loop drains).
// Owned by whoever holds it (pool, transaction layer); usable from any executor (STYLE.md B5.3).
#pragma once

#include <boost/asio/experimental/concurrent_channel.hpp>
#include <atomic>
#include <boost/system/error_code.hpp>
#include <cstdint>
#include <memory>
#include <string>

#include "gateway/base/result.hpp"
#include "sip/codec/message.hpp"
#include "sip/transport/transport_types.hpp"

namespace fedgate::sip {

class DatagramSink;
class KeepAliveNegotiation;

// Wire bytes to write; an empty string asks the write loop to flush and close gracefully.
using Mailbox =
    boost::asio::experimental::concurrent_channel<void(boost::system::error_code, std::string)>;
// Sends refused because the mailbox was full; the connection's write loop reports them.
using RefusalCount = std::atomic<std::uint64_t>;

class ConnectionHandle {
 public:
  ConnectionHandle() = default;
  ConnectionHandle(std::weak_ptr<Mailbox> mailbox, std::uint64_t id, PeerKey remote)
      : mailbox_(std::move(mailbox)), id_(id), remote_(std::move(remote)) {}
  // With the connection's Ms-Keep-Alive negotiation: send() then adds the header our answers
  // and offers carry (MS-CONMGMT §2.2.1).
  ConnectionHandle(std::weak_ptr<Mailbox> mailbox, std::weak_ptr<KeepAliveNegotiation> keep_alive,
                   std::uint64_t id, PeerKey remote)
      : mailbox_(std::move(mailbox)),
        keep_alive_(std::move(keep_alive)),
        id_(id),
        remote_(std::move(remote)) {}
  // With a refusal counter: every mailbox_full is counted there.
  ConnectionHandle(std::weak_ptr<Mailbox> mailbox, std::weak_ptr<KeepAliveNegotiation> keep_alive,
                   std::weak_ptr<RefusalCount> refusals, std::uint64_t id, PeerKey remote)
      : mailbox_(std::move(mailbox)),
        keep_alive_(std::move(keep_alive)),
        refusals_(std::move(refusals)),
        id_(id),
        remote_(std::move(remote)) {}
  // UDP (RFC 3261 §18): datagrams to `remote` (an IP literal and port, Transport::udp) through
  // the endpoint's socket. close() does nothing; a request too large for UDP fails with
  // TransportErrc::message_too_large.
  ConnectionHandle(std::weak_ptr<DatagramSink> datagrams, PeerKey remote)
      : datagrams_(std::move(datagrams)), remote_(std::move(remote)) {}

  // Queues a message (serialized here, on the caller's executor; an Ms-Keep-Alive answer or
  // offer is added when the connection's negotiation calls for one). Fails with
  // TransportErrc::connection_closed when the connection has gone, mailbox_full when full.
  result<void> send(const Message& message) const;
  result<void> send_bytes(std::string bytes) const;
  // Flushes what is queued, sends close_notify and closes.
  void close() const;

  bool alive() const;
  std::uint64_t id() const { return id_; }
  const PeerKey& remote() const { return remote_; }  // address and port of the far end

 private:
  std::weak_ptr<Mailbox> mailbox_;
  std::weak_ptr<KeepAliveNegotiation> keep_alive_;
  std::weak_ptr<RefusalCount> refusals_;
  std::weak_ptr<DatagramSink> datagrams_;
  std::uint64_t id_ = 0;
  PeerKey remote_;
};

}  // namespace fedgate::sip
