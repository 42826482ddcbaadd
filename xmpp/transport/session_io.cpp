#include "xmpp/transport/session_io.hpp"

#include <errno.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
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

}  // namespace

SessionIo::SessionIo(XmppSocket socket)
    : socket_(std::move(socket)), timer_(socket_.socket().get_executor()) {}

asio::awaitable<void> SessionIo::read_into(SessionEvent& ev) {
  chunk_.reset();  // the previous event's bytes are done with: an idle session holds no buffer
  auto ready = co_await socket_.wait_readable();
  if (!ready) {
    if (ready.error() != asio::error::operation_aborted) {
      ev.read_error = ready.error();
    }
    co_return;
  }
  chunk_ = std::make_unique_for_overwrite<char[]>(kReadChunk);
  auto n = co_await socket_.read_available(asio::buffer(chunk_.get(), kReadChunk));
  if (n) {
    ev.bytes = std::string_view(chunk_.get(), *n);
  } else if (n.error() != asio::error::operation_aborted) {
    ev.read_error = n.error();
  }
}

asio::awaitable<void> SessionIo::wait_into(SessionEvent& ev) {
  auto [ec] = co_await timer_.async_wait(kNoThrow);
  ev.woke = !ec;
}

asio::awaitable<void> SessionIo::receive_into(Mailbox& mailbox, SessionEvent& ev) {
  auto [ec, item] = co_await mailbox.async_receive(kNoThrow);
  if (!ec) {
    ev.mail = std::move(item);
  } else if (ec != asio::error::operation_aborted) {
    ev.mailbox_closed = true;
  }
}

asio::awaitable<void> SessionIo::verdict_into(VerdictBox& verdicts, SessionEvent& ev) {
  auto [ec, verdict] = co_await verdicts.async_receive(kNoThrow);
  if (!ec) {
    ev.verdict = std::move(verdict);
  }
}

asio::awaitable<SessionEvent> SessionIo::next(TimePoint wake_at, Mailbox* mailbox,
                                              VerdictBox* verdicts) {
  using namespace asio::experimental::awaitable_operators;
  SessionEvent ev;
  timer_.expires_at(wake_at);
  auto reading = read_into(ev);
  auto waiting = wait_into(ev);
  if (mailbox != nullptr) {
    auto receiving = receive_into(*mailbox, ev);
    auto race = std::move(reading) || std::move(waiting) || std::move(receiving);
    co_await std::move(race);
  } else if (verdicts != nullptr) {
    auto answered = verdict_into(*verdicts, ev);
    auto race = std::move(reading) || std::move(waiting) || std::move(answered);
    co_await std::move(race);
  } else {
    auto race = std::move(reading) || std::move(waiting);
    co_await std::move(race);
  }
  co_return ev;
}

bool post_verdict(const std::weak_ptr<VerdictBox>& reply, DialbackVerdict verdict) {
  auto box = reply.lock();
  return box && box->try_send(error_code{}, std::move(verdict));
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
