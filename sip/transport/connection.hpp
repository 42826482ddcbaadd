// A SIP connection over TCP or TLS (STYLE.md sketch 3): its coroutine frame owns the stream;
// a read loop (framer, parser, MessageHandler), a write loop draining the mailbox, and a
// watchdog for the idle timeout and CRLF keep-alives. Runs on the connection's own strand.
// RFC 3261 §18.3, §8.2.2 (400), RFC 5626 §3.5.1/§4.4.1 (CRLF ping/pong), MS-CONMGMT §2.2.1.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "gateway/base/log.hpp"
#include "sip/transport/connection_handle.hpp"
#include "sip/transport/keep_alive_negotiation.hpp"
#include "sip/transport/message_handler.hpp"
#include "sip/transport/sip_stream.hpp"
#include "sip/transport/transport_config.hpp"
#include "sip/transport/transport_metrics.hpp"

namespace fedgate::sip {

class ConnectionPool;

// What every connection needs; the Node keeps it alive until its TaskGroup has drained.
struct ConnectionDeps {
  const TransportConfig& config;
  MessageHandler& handler;
  SipTransportMetrics& metrics;
  Logger log;
  ConnectionPool* pool = nullptr;  // when set, connections register there for reuse
};

// An established (handshaken, authenticated) stream and what is known of its peer.
struct ConnectionSetup {
  std::uint64_t id = 0;
  Direction direction = Direction::inbound;
  PeerKey remote;                // address and port of the far end
  std::vector<PeerKey> aliases;  // keys the pool finds this connection under
  std::string peer;              // for logs: a certificate name, else the address
  std::shared_ptr<Mailbox> mailbox;
  std::shared_ptr<KeepAliveNegotiation> keep_alive;  // null: no Ms-Keep-Alive handling
  std::shared_ptr<RefusalCount> refusals;  // sends refused with mailbox_full; may be null
};

std::uint64_t next_connection_id();
// A mailbox on `ex` with the configured capacity.
std::shared_ptr<Mailbox> make_mailbox(const boost::asio::any_io_executor& ex,
                                      const TransportConfig& config);
// The mailbox and the Ms-Keep-Alive negotiation of a new connection, in one allocation; we
// offer Ms-Keep-Alive on connections we open (Direction::outbound) when the config says so.
void open_channel(ConnectionSetup& setup, const boost::asio::any_io_executor& ex,
                  const TransportConfig& config);
// The handle other sessions use to send on this connection.
ConnectionHandle handle_of(const ConnectionSetup& setup);

// Runs the connection until the peer closes, the idle timeout fires, framing is lost or a
// close is requested through the mailbox; then closes gracefully (close_notify).
boost::asio::awaitable<void> run_connection(SipStream stream, ConnectionSetup setup,
                                            ConnectionDeps& deps);

// An accepted stream: handshake (bounded), peer check, allow-list and incoming ACL, then
// run_connection. A refusal is logged (sip.transport.refused, peer and reason) and counted.
boost::asio::awaitable<void> serve_inbound(SipStream stream, ConnectionDeps& deps);

}  // namespace fedgate::sip
