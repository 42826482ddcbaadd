// SessionIo: the I/O half of one s2s session — its socket, its read buffer and its timer —
// offering "the next thing that happened" (bytes, the state machine's wake-up, a mailbox item)
// and bounded connect / TLS handshakes. Owned by the session's coroutine frame; one strand.
// RFC 6120 §4.6 (timers are the stream's), §5.4.3 (STARTTLS upgrade), XEP-0368.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/system/error_code.hpp>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "gateway/base/clock.hpp"
#include "gateway/base/result.hpp"
#include "xmpp/codec/element.hpp"
#include "xmpp/stream/stream_actions.hpp"
#include "xmpp/transport/session_box.hpp"
#include "xmpp/transport/xmpp_socket.hpp"

namespace fedgate::xmpp {

// XEP-0220 §2.1.2: the authoritative server's answer to a db:verify question travels back to
// the inbound session that asked through its verdict box (an error verdict if it cannot be asked).
using VerdictBox = SessionBox<DialbackVerdict>;

// A stanza on its way out; `attempt` counts streams it was already written on (XEP-0198 resend).
// Or, when `verify` is set, a db:verify question to carry, answered into `reply`.
struct OutboundItem {
  Element stanza;
  int attempt = 0;
  std::optional<DialbackVerify> verify;
  std::weak_ptr<VerdictBox> reply;
};
using Mailbox = SessionBox<OutboundItem>;

// Posts `verdict` to `reply` if the asking session still listens; false when it is gone or full.
bool post_verdict(const std::weak_ptr<VerdictBox>& reply, DialbackVerdict verdict);

// Everything that completed during one wait; several may have (a race is not a loss).
struct SessionEvent {
  std::string_view bytes;                  // valid until the next wait
  boost::system::error_code read_error;    // EOF, reset, TLS alert
  bool woke = false;                       // the wake-up time passed
  std::optional<OutboundItem> mail;        // a stanza from the mailbox
  bool mailbox_closed = false;             // the pool closed the mailbox
  std::optional<DialbackVerdict> verdict;  // an answer to a db:verify this session asked
};

class SessionIo {
 public:
  explicit SessionIo(XmppSocket socket);

  XmppSocket& socket() { return socket_; }
  // Waits for bytes, `wake_at`, or (if given) a mailbox item or a dialback verdict, whichever
  // comes first.
  boost::asio::awaitable<SessionEvent> next(TimePoint wake_at, Mailbox* mailbox,
                                            VerdictBox* verdicts = nullptr);
  // The inbound session's wait: bytes (only when `read`), `wake_at`, a dialback verdict (if
  // `verdicts`) or `bell` rung (its stanza pipeline has something to do).
  boost::asio::awaitable<SessionEvent> next(TimePoint wake_at, VerdictBox* verdicts,
                                            boost::asio::steady_timer& bell, bool read);
  boost::asio::awaitable<result<void>> write(const std::string& bytes);
  // STARTTLS or Direct TLS, bounded by `timeout` (then: errc::timed_out).
  boost::asio::awaitable<result<void>> start_tls(const gateway::TlsContext& context,
                                                 gateway::TlsSocket::Role role, std::string sni,
                                                 Duration timeout);
  boost::asio::awaitable<void> close();
  // A quiet session (S2sConfig::hibernate_after): the read chunk and TLS buffers go back; the
  // next read takes them again. Kept while busy (one allocation per read cost more).
  void release_buffers();

 private:
  boost::asio::awaitable<void> read_now(SessionEvent& ev);

  XmppSocket socket_;
  boost::asio::steady_timer timer_;
  // Holds the bytes of the last read until the next read; none once released.
  std::unique_ptr<char[]> chunk_;
};

// Connects to `endpoint` within `timeout`; errc::timed_out when the timer wins.
boost::asio::awaitable<result<boost::asio::ip::tcp::socket>> connect_within(
    boost::asio::ip::tcp::endpoint endpoint, Duration timeout);

}  // namespace fedgate::xmpp
