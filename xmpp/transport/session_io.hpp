// SessionIo: the I/O half of one s2s session — its socket, its read buffer and its timer —
// offering "the next thing that happened" (bytes, the state machine's wake-up, a mailbox item)
// and bounded connect / TLS handshakes. Owned by the session's coroutine frame; one strand.
// RFC 6120 §4.6 (timers are the stream's), §5.4.3 (STARTTLS upgrade), XEP-0368.
#pragma once

#include <array>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/system/error_code.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "gateway/base/clock.hpp"
#include "gateway/base/result.hpp"
#include "xmpp/codec/element.hpp"
#include "xmpp/transport/xmpp_socket.hpp"

namespace fedgate::xmpp {

// A stanza on its way out; `attempt` counts streams it was already written on (XEP-0198 resend).
struct OutboundItem {
  Element stanza;
  int attempt = 0;
};
using Mailbox =
    boost::asio::experimental::concurrent_channel<void(boost::system::error_code, OutboundItem)>;

// Everything that completed during one wait; several may have (a race is not a loss).
struct SessionEvent {
  std::string_view bytes;                // valid until the next wait
  boost::system::error_code read_error;  // EOF, reset, TLS alert
  bool woke = false;                     // the wake-up time passed
  std::optional<OutboundItem> mail;      // a stanza from the mailbox
  bool mailbox_closed = false;           // the pool closed the mailbox
};

class SessionIo {
 public:
  explicit SessionIo(XmppSocket socket);

  XmppSocket& socket() { return socket_; }
  // Waits for bytes, `wake_at`, or (if given) a mailbox item, whichever comes first.
  boost::asio::awaitable<SessionEvent> next(TimePoint wake_at, Mailbox* mailbox);
  boost::asio::awaitable<result<void>> write(const std::string& bytes);
  // STARTTLS or Direct TLS, bounded by `timeout` (then: errc::timed_out).
  boost::asio::awaitable<result<void>> start_tls(const gateway::TlsContext& context,
                                                 gateway::TlsSocket::Role role, std::string sni,
                                                 Duration timeout);
  boost::asio::awaitable<void> close();

 private:
  boost::asio::awaitable<void> read_into(SessionEvent& ev);
  boost::asio::awaitable<void> wait_into(SessionEvent& ev);
  boost::asio::awaitable<void> receive_into(Mailbox& mailbox, SessionEvent& ev);

  XmppSocket socket_;
  boost::asio::steady_timer timer_;
  std::array<char, 4096> buffer_{};
};

// Connects to `endpoint` within `timeout`; errc::timed_out when the timer wins.
boost::asio::awaitable<result<boost::asio::ip::tcp::socket>> connect_within(
    boost::asio::ip::tcp::endpoint endpoint, Duration timeout);

}  // namespace fedgate::xmpp
