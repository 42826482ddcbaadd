#include "xmpp/transport/session_io.hpp"

#include <errno.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace fedgate::xmpp {
namespace {

namespace asio = boost::asio;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kReadChunk = 16 * 1024;  // a whole TLS record
using boost::system::error_code;

asio::awaitable<void> sleep_for(Duration d, bool& fired) {
  auto ex = co_await asio::this_coro::executor;
  asio::steady_timer timer(ex, d);
  auto [ec] = co_await timer.async_wait(kNoThrow);
  fired = !ec;
}

asio::awaitable<void> handshake_into(XmppSocket& socket, const gateway::TlsContext& context,
                                     gateway::TlsSocket::Role role, std::string sni,
                                     result<void>& out) {
  auto done = co_await socket.start_tls(context, role, sni);
  out = done;
}

asio::awaitable<void> connect_into(asio::ip::tcp::socket& socket, asio::ip::tcp::endpoint endpoint,
                                   error_code& out) {
  auto [ec] = co_await socket.async_connect(endpoint, kNoThrow);
  out = ec;
}

// Waits for the socket to be readable, the session timer or (if given) a box's bell, whichever
// comes first, as one parallel group of plain async operations: no coroutine frames while a
// session is idle. Sets ev.woke; true when the socket is readable.
asio::awaitable<bool> wait_any(asio::ip::tcp::socket& socket, asio::steady_timer& timer,
                               asio::steady_timer& bell, SessionEvent& ev) {
  auto [order, readable, woke, rung] =
      co_await asio::experimental::make_parallel_group(
          socket.async_wait(asio::socket_base::wait_read, asio::deferred),
          timer.async_wait(asio::deferred), bell.async_wait(asio::deferred))
          .async_wait(asio::experimental::wait_for_one(), asio::use_awaitable);
  (void)order;
  (void)rung;  // rung or not, the caller looks into the box
  ev.woke = !woke;
  if (readable && readable != asio::error::operation_aborted) {
    ev.read_error = readable;
  }
  co_return !readable;
}

// The same without a box; `bell` of a session without one never rings.
asio::awaitable<bool> wait_two(asio::ip::tcp::socket& socket, asio::steady_timer& timer,
                               SessionEvent& ev) {
  auto [order, readable, woke] =
      co_await asio::experimental::make_parallel_group(
          socket.async_wait(asio::socket_base::wait_read, asio::deferred),
          timer.async_wait(asio::deferred))
          .async_wait(asio::experimental::wait_for_one(), asio::use_awaitable);
  (void)order;
  ev.woke = !woke;
  if (readable && readable != asio::error::operation_aborted) {
    ev.read_error = readable;
  }
  co_return !readable;
}

// The socket, the session timer and two bells (verdicts and the stanza pipeline).
asio::awaitable<bool> wait_all_four(asio::ip::tcp::socket& socket, asio::steady_timer& timer,
                                    asio::steady_timer& bell, asio::steady_timer& other,
                                    SessionEvent& ev) {
  auto [order, readable, woke, rung, rung_other] =
      co_await asio::experimental::make_parallel_group(
          socket.async_wait(asio::socket_base::wait_read, asio::deferred),
          timer.async_wait(asio::deferred), bell.async_wait(asio::deferred),
          other.async_wait(asio::deferred))
          .async_wait(asio::experimental::wait_for_one(), asio::use_awaitable);
  (void)order;
  (void)rung;
  (void)rung_other;
  ev.woke = !woke;
  if (readable && readable != asio::error::operation_aborted) {
    ev.read_error = readable;
  }
  co_return !readable;
}

// Not reading (the pipeline is full): the session timer or the bell.
asio::awaitable<void> wait_bell(asio::steady_timer& timer, asio::steady_timer& bell,
                                SessionEvent& ev) {
  auto [order, woke, rung] =
      co_await asio::experimental::make_parallel_group(timer.async_wait(asio::deferred),
                                                       bell.async_wait(asio::deferred))
          .async_wait(asio::experimental::wait_for_one(), asio::use_awaitable);
  (void)order;
  (void)rung;
  ev.woke = !woke;
}

}  // namespace

SessionIo::SessionIo(XmppSocket socket)
    : socket_(std::move(socket)), timer_(socket_.socket().get_executor()) {}

asio::awaitable<void> SessionIo::read_now(SessionEvent& ev) {
  if (!chunk_) {
    chunk_ = std::make_unique_for_overwrite<char[]>(kReadChunk);
  }
  auto n = co_await socket_.read_available(asio::buffer(chunk_.get(), kReadChunk));
  if (n) {
    ev.bytes = std::string_view(chunk_.get(), *n);
  } else if (n.error() != asio::error::operation_aborted) {
    ev.read_error = n.error();
  }
}

asio::awaitable<SessionEvent> SessionIo::next(TimePoint wake_at, Mailbox* mailbox,
                                              VerdictBox* verdicts) {
  SessionEvent ev;
  if (mailbox != nullptr && (ev.mail = mailbox->try_pop())) {
    co_return ev;  // already waiting: no need to wait
  }
  if (verdicts != nullptr && (ev.verdict = verdicts->try_pop())) {
    co_return ev;
  }
  bool readable = socket_.prepare_to_wait();
  if (!readable) {
    timer_.expires_at(wake_at);
    auto& socket = socket_.socket();
    if (mailbox != nullptr || verdicts != nullptr) {
      auto& bell = mailbox != nullptr ? mailbox->bell() : verdicts->bell();
      readable = co_await wait_any(socket, timer_, bell, ev);
      if (mailbox != nullptr) {
        ev.mail = mailbox->try_pop();
      } else {
        ev.verdict = verdicts->try_pop();
      }
    } else {
      readable = co_await wait_two(socket, timer_, ev);
    }
  }
  if (readable) {
    co_await read_now(ev);
  }
  co_return ev;
}

asio::awaitable<SessionEvent> SessionIo::next(TimePoint wake_at, VerdictBox* verdicts,
                                              asio::steady_timer& bell, bool read) {
  SessionEvent ev;
  if (verdicts != nullptr && (ev.verdict = verdicts->try_pop())) {
    co_return ev;
  }
  timer_.expires_at(wake_at);
  if (!read) {
    co_await wait_bell(timer_, bell, ev);
    co_return ev;
  }
  bool readable = socket_.prepare_to_wait();
  if (!readable) {
    auto& socket = socket_.socket();
    if (verdicts != nullptr) {
      readable = co_await wait_all_four(socket, timer_, verdicts->bell(), bell, ev);
      ev.verdict = verdicts->try_pop();
    } else {
      readable = co_await wait_any(socket, timer_, bell, ev);
    }
  }
  if (readable) {
    co_await read_now(ev);
  }
  co_return ev;
}

void SessionIo::release_buffers() {
  chunk_.reset();
  socket_.release_buffers();
}

bool post_verdict(const std::weak_ptr<VerdictBox>& reply, DialbackVerdict verdict) {
  auto box = reply.lock();
  return box && box->try_push(verdict);
}

asio::awaitable<result<void>> SessionIo::write(const std::string& bytes) {
  auto n = co_await socket_.write(asio::buffer(bytes));
  if (!n) {
    co_return n.error();
  }
  co_return result<void>{};
}

asio::awaitable<result<void>> SessionIo::start_tls(const gateway::TlsContext& context,
                                                   gateway::TlsSocket::Role role, std::string sni,
                                                   Duration timeout) {
  using namespace asio::experimental::awaitable_operators;
  result<void> shaken = make_error_code(asio::error::operation_aborted);
  bool timed_out = false;
  auto handshake = handshake_into(socket_, context, role, std::move(sni), shaken);
  auto deadline = sleep_for(timeout, timed_out);
  auto race = std::move(handshake) || std::move(deadline);
  co_await std::move(race);
  if (timed_out) {
    co_return make_error_code(boost::system::errc::timed_out);
  }
  co_return shaken;
}

asio::awaitable<void> SessionIo::close() {
  co_await socket_.shutdown();
  socket_.close();
}

asio::awaitable<result<asio::ip::tcp::socket>> connect_within(asio::ip::tcp::endpoint endpoint,
                                                              Duration timeout) {
  using namespace asio::experimental::awaitable_operators;
  auto ex = co_await asio::this_coro::executor;
  asio::ip::tcp::socket socket(ex);
  error_code connected = asio::error::operation_aborted;
  bool timed_out = false;
  auto connecting = connect_into(socket, endpoint, connected);
  auto deadline = sleep_for(timeout, timed_out);
  auto race = std::move(connecting) || std::move(deadline);
  co_await std::move(race);
  if (timed_out) {
    co_return make_error_code(boost::system::errc::timed_out);
  }
  if (connected) {
    co_return connected;
  }
  co_return std::move(socket);
}

}  // namespace fedgate::xmpp
