#include "sip/transport/connection.hpp"

#include <fmt/format.h>

#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <memory>

#include "sip/codec/error_response.hpp"
#include "sip/codec/framer.hpp"
#include "sip/transport/connection_pool.hpp"
#include "sip/transport/peer_auth.hpp"
#include "sip/transport/transport_error.hpp"

// GCC 12 (-O1, ASan) inlines a child coroutine's frame allocation into its caller and then
// reports Asio's awaitable_frame_base operator new/delete pair as mismatched: a false
// positive (the frame is allocated and freed by that class's own pair).
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

namespace fedgate::sip {
namespace {

namespace asio = boost::asio;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kReadChunk = 4096;
std::atomic<std::uint64_t> g_next_id{1};

// A branch of `||` runs as its own awaitable thread, which by default ignores all but terminal
// cancellation; the TaskGroup winds sessions down with total cancellation.
asio::awaitable<void> accept_total_cancellation() {
  co_await asio::this_coro::reset_cancellation_state(asio::enable_total_cancellation());
}

// Unregisters the connection from the pool when the frame ends.
struct Registration {
  Registration(ConnectionPool* p, std::uint64_t i) : pool(p), id(i) {}
  Registration(const Registration&) = delete;
  Registration& operator=(const Registration&) = delete;
  ConnectionPool* pool;
  std::uint64_t id;
  ~Registration() {
    if (pool) {
      pool->remove(id);
    }
  }
};

class Connection {
 public:
  Connection(SipStream stream, ConnectionSetup setup, ConnectionDeps& deps,
             const asio::any_io_executor& ex)
      : stream_(std::move(stream)),
        setup_(std::move(setup)),
        deps_(deps),
        log_(deps.log.with({{"conn", setup_.id}, {"peer", setup_.peer}})),
        framer_(deps.config.limits),
        timer_(ex) {}

  asio::awaitable<void> run();

 private:
  asio::awaitable<void> read_loop();
  asio::awaitable<bool> drain();
  asio::awaitable<void> deliver(Message message);
  bool reject(const boost::system::error_code& ec);
  asio::awaitable<void> write_loop();
  asio::awaitable<void> watchdog();
  asio::awaitable<void> linger();
  asio::awaitable<void> close();
  void queue(std::string bytes) {
    setup_.mailbox->try_send(boost::system::error_code{}, std::move(bytes));
  }

  SipStream stream_;
  ConnectionSetup setup_;
  ConnectionDeps& deps_;
  Logger log_;
  Framer framer_;
  std::string unframed_;  // the bytes the framer still holds: a 400 after lost framing
  asio::steady_timer timer_;
  TimePoint deadline_ = TimePoint::max();
  bool timed_out_ = false;
  std::uint32_t rejected_count_ = 0;
  std::string close_reason_;
};

asio::awaitable<void> Connection::run() {
  auto transport = stream_.transport();
  deps_.metrics.opened(transport, setup_.direction);
  log_.info("sip.transport.connection_up", {{"transport", to_string(transport)},
                                            {"direction", to_string(setup_.direction)},
                                            {"remote", setup_.remote.str()}});
  Registration registration(deps_.pool, setup_.id);
  if (deps_.pool) {
    deps_.pool->add(setup_.aliases, handle_of(setup_));
  }
  deadline_ = Clock::now() + deps_.config.idle_timeout;
  // One flat group (nested `||` would put two loops behind a thread that filters out the
  // TaskGroup's total cancellation): the first loop to finish cancels the others.
  auto ex = timer_.get_executor();
  auto group =
      asio::experimental::make_parallel_group(asio::co_spawn(ex, read_loop(), asio::deferred),
                                              asio::co_spawn(ex, write_loop(), asio::deferred),
                                              asio::co_spawn(ex, watchdog(), asio::deferred));
  auto finished = co_await group.async_wait(asio::experimental::wait_for_one(), kNoThrow);
  (void)finished;
  // A cancelled coroutine throws at its next co_await: the graceful close comes first, with
  // its own deadline, whatever ended the loops.
  co_await asio::this_coro::reset_cancellation_state();
  setup_.mailbox->close();
  co_await close();
  log_.info("sip.transport.connection_down",
            {{"reason", close_reason_.empty() ? "closed" : close_reason_}});
  deps_.metrics.closed(transport, setup_.direction);
}

asio::awaitable<void> Connection::read_loop() {
  co_await accept_total_cancellation();
  for (;;) {
    deadline_ = Clock::now() + deps_.config.idle_timeout;
    // The read buffer exists only while bytes are there: an idle connection holds none.
    auto ready = co_await stream_.wait_readable();
    result<std::size_t> n = ready ? result<std::size_t>(0) : result<std::size_t>(ready.error());
    auto chunk = std::make_unique_for_overwrite<char[]>(kReadChunk);
    if (ready) {
      n = co_await stream_.read_available(asio::buffer(chunk.get(), kReadChunk));
    }
    if (n && *n == 0) {
      continue;  // TLS records without application data: wait again, holding no buffer
    }
    if (!n) {
      if (close_reason_.empty()) {
        close_reason_ = timed_out_                      ? "idle_timeout"
                        : n.error() == asio::error::eof ? "peer_closed"
                                                        : "read_error";
      }
      co_return;
    }
    std::string_view bytes(chunk.get(), *n);
    framer_.feed(bytes);
    unframed_.append(bytes);
    bool more = co_await drain();
    if (!more) {
      co_await linger();
      co_return;
    }
  }
}

// Hands every complete frame on; false when framing is lost.
asio::awaitable<bool> Connection::drain() {
  for (;;) {
    auto next = framer_.pop();
    if (!next) {
      co_return true;
    }
    if (!framer_.failed()) {
      unframed_.erase(0, unframed_.size() - framer_.buffered());
      if (unframed_.empty()) {
        unframed_.shrink_to_fit();  // idle connections keep no copy
      }
    }
    if (!*next) {
      if (!reject(next->error())) {
        co_return false;
      }
      continue;
    }
    if (std::holds_alternative<KeepAlivePing>(next->value())) {
      deps_.metrics.keepalive(Direction::inbound);
      queue("\r\n");  // RFC 5626 §3.5.1: a CRLF pong
      continue;
    }
    if (auto* message = std::get_if<Message>(&next->value())) {
      co_await deliver(std::move(*message));
    }
  }
}

asio::awaitable<void> Connection::deliver(Message message) {
  deps_.metrics.message(Direction::inbound);
  if (log_.enabled(LogLevel::debug)) {
    const auto& h = headers_of(message);
    log_.debug("sip.transport.message_in", {{"call_id", h.call_id}, {"cseq", h.cseq.sequence}});
  }
  // Arguments built in their own statement: GCC 12 destroys temporaries inside a co_await
  // expression twice.
  auto handling = deps_.handler.on_message(std::move(message), handle_of(setup_));
  co_await std::move(handling);
}

// RFC 3261 §8.2.2 / §21.4: a request that does not parse gets a 400 (413, 505, 513) with the
// specific reason phrase; a malformed response is dropped. False when framing is lost: the
// answer is queued with a close request behind it.
bool Connection::reject(const boost::system::error_code& ec) {
  bool fatal = framer_.failed();
  auto errc = static_cast<ParseErrc>(ec.value());
  std::string_view raw = fatal ? std::string_view(unframed_) : framer_.rejected_bytes();
  auto tag = fmt::format("fg{:x}r{}", setup_.id, ++rejected_count_);
  auto answer = make_error_response(raw, status_for(errc), reason_phrase(errc), tag);
  std::string_view reason = answer ? "malformed_request" : "malformed_message";
  deps_.metrics.refused(reason);
  log_.info("sip.transport.rejected",
            {{"reason", reason}, {"error", ec.message()}, {"framing_lost", fatal}});
  if (answer) {
    queue(std::move(*answer));
  }
  if (fatal) {
    close_reason_ = "framing_lost";
    unframed_.clear();
    queue(std::string{});
  }
  return !fatal;
}

asio::awaitable<void> Connection::write_loop() {
  co_await accept_total_cancellation();
  for (;;) {
    auto got = co_await setup_.mailbox->async_receive(kNoThrow);
    if (std::get<0>(got)) {
      co_return;  // closed or cancelled
    }
    std::string bytes = std::move(std::get<1>(got));
    if (bytes.empty()) {
      if (close_reason_.empty()) {
        close_reason_ = "closed_locally";
      }
      co_return;
    }
    auto written = co_await stream_.write(asio::buffer(bytes));
    if (!written) {
      close_reason_ = "write_error";
      co_return;
    }
    if (bytes != "\r\n") {
      deps_.metrics.message(Direction::outbound);
    } else {
      deps_.metrics.keepalive(Direction::outbound);
    }
  }
}

// Cancels the socket once deadline_ passes; re-reads deadline_ on every wake-up.
asio::awaitable<void> Connection::watchdog() {
  co_await accept_total_cancellation();
  for (;;) {
    timer_.expires_at(deadline_);
    auto waited = co_await timer_.async_wait(kNoThrow);
    (void)waited;
    auto state = co_await asio::this_coro::cancellation_state;
    if (state.cancelled() != asio::cancellation_type::none) {
      co_return;
    }
    if (Clock::now() >= deadline_) {
      timed_out_ = true;
      boost::system::error_code ignored;
      stream_.socket().cancel(ignored);
      co_return;
    }
  }
}

// After lost framing: wait (bounded) for the write loop to flush the 400 and close.
asio::awaitable<void> Connection::linger() {
  co_await accept_total_cancellation();
  asio::steady_timer wait(timer_.get_executor(), deps_.config.close_timeout);
  auto waited = co_await wait.async_wait(kNoThrow);
  (void)waited;
}

asio::awaitable<void> Connection::close() {
  using namespace asio::experimental::awaitable_operators;
  bool fired = false;
  auto shutting = stream_.shutdown();
  auto deadline = cancel_after(stream_.socket(), deps_.config.close_timeout, fired);
  auto race = std::move(shutting) || std::move(deadline);
  co_await std::move(race);
  stream_.close();
}

std::string peer_label(const gateway::PeerIdentity& identity, const PeerKey& remote) {
  return identity.certificate.dns_names.empty() ? remote.host
                                                : identity.certificate.dns_names.front();
}

}  // namespace

std::uint64_t next_connection_id() { return g_next_id.fetch_add(1); }

std::shared_ptr<Mailbox> make_mailbox(const asio::any_io_executor& ex,
                                      const TransportConfig& config) {
  return std::make_shared<Mailbox>(ex, config.mailbox_capacity);
}

ConnectionHandle handle_of(const ConnectionSetup& setup) {
  return ConnectionHandle(setup.mailbox, setup.id, setup.remote);
}

asio::awaitable<void> run_connection(SipStream stream, ConnectionSetup setup,
                                     ConnectionDeps& deps) {
  auto ex = co_await asio::this_coro::executor;
  Connection connection(std::move(stream), std::move(setup), deps, ex);
  co_await connection.run();
}

asio::awaitable<void> serve_inbound(SipStream stream, ConnectionDeps& deps) {
  boost::system::error_code ec;
  auto endpoint = stream.socket().remote_endpoint(ec);
  PeerKey remote(endpoint.address().to_string(), endpoint.port(), stream.transport());
  auto securing = secure_stream(stream, gateway::PeerRole::client, "", deps.config, deps.log);
  auto identity = co_await std::move(securing);
  if (!identity) {
    auto reason = reason_token(identity.error());
    deps.metrics.refused(reason);
    deps.log.info(
        "sip.transport.refused",
        {{"peer", remote.host}, {"reason", reason}, {"detail", identity.error().message()}});
    stream.close();
    co_return;
  }
  auto ex = co_await asio::this_coro::executor;
  ConnectionSetup setup;  // no brace-init of aggregates in coroutines (GCC 12)
  setup.id = next_connection_id();
  setup.direction = Direction::inbound;
  setup.remote = remote;
  setup.peer = peer_label(*identity, remote);
  setup.mailbox = make_mailbox(ex, deps.config);
  setup.aliases.push_back(PeerKey{remote.host, 0, remote.transport});
  for (const auto& name : identity->certificate.dns_names) {
    setup.aliases.push_back(PeerKey{name, 0, remote.transport});
  }
  auto running = run_connection(std::move(stream), std::move(setup), deps);
  co_await std::move(running);
}

}  // namespace fedgate::sip
