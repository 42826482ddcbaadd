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
#include <vector>

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
constexpr std::size_t kReadChunk = 16384;  // a full TLS record in one read
// The write loop gathers queued messages into one write up to about this many bytes.
constexpr std::size_t kMaxBatch = 256 * 1024;
// At most one sip.transport.mailbox_full warning per connection this often.
constexpr Duration kRefusalLogInterval = std::chrono::seconds(10);
std::atomic<std::uint64_t> g_next_id{1};

// A branch of `||` runs as its own awaitable thread, which by default ignores all but terminal
// cancellation; the TaskGroup winds sessions down with total cancellation.
asio::awaitable<void> accept_total_cancellation() {
  co_await asio::this_coro::reset_cancellation_state(asio::enable_total_cancellation());
}

// What one write carries: queued messages concatenated, and what to count once written.
struct Batch {
  std::string bytes;
  std::uint64_t messages = 0;
  std::uint64_t keepalives = 0;
  bool close = false;  // a close request was queued: write, then end
};

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
        timer_(ex),
        idle_limit_(deps.config.idle_timeout) {
    if (setup_.direction == Direction::outbound) {
      ping_interval_ = deps.config.keep_alive_interval;
    }
  }

  asio::awaitable<void> run();

 private:
  asio::awaitable<void> loops();
  asio::awaitable<void> read_loop();
  asio::awaitable<bool> drain();
  void deliver(Message message);
  asio::awaitable<void> hand_on();
  void negotiate(const Message& message);
  bool reject(const boost::system::error_code& ec);
  asio::awaitable<void> write_loop();
  void add(Batch& batch, std::string piece);
  void collect(Batch& batch);
  void report_refusals();
  asio::awaitable<void> watchdog();
  bool watch(TimePoint now, TimePoint& wake);
  asio::awaitable<void> linger();
  asio::awaitable<void> close();
  void queue(std::string bytes) {
    if (!setup_.mailbox->try_send(boost::system::error_code{}, std::move(bytes)) &&
        setup_.refusals) {
      setup_.refusals->fetch_add(1, std::memory_order_relaxed);
    }
  }
  void stop(std::string_view reason) {
    close_reason_ = reason;
    boost::system::error_code ignored;
    stream_.socket().cancel(ignored);
  }

  SipStream stream_;
  ConnectionSetup setup_;
  ConnectionDeps& deps_;
  Logger log_;
  Framer framer_;
  std::string unframed_;  // the bytes the framer still holds: a 400 after lost framing
  std::vector<Message> parsed_;  // framed since the last hand-on (one read's worth)
  asio::steady_timer timer_;
  TimePoint last_read_ = Clock::now();
  Duration idle_limit_;                        // raised for peers that send keep-alives
  Duration ping_interval_ = Duration::zero();  // zero: we send no CRLF keep-alives
  std::optional<TimePoint> pong_due_;          // a ping is out: bytes must come by then
  std::uint32_t rejected_count_ = 0;
  std::uint64_t refusals_reported_ = 0;
  std::optional<TimePoint> refusal_logged_;
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
  last_read_ = Clock::now();
  auto cancelled = (co_await asio::this_coro::cancellation_state).cancelled();
  if (cancelled == asio::cancellation_type::none) {
    co_await loops();
  }
  // A cancelled coroutine throws at its next co_await: the graceful close comes first, with
  // its own deadline, whatever ended the loops.
  co_await asio::this_coro::reset_cancellation_state();
  setup_.mailbox->close();
  report_refusals();
  co_await close();
  log_.info("sip.transport.connection_down",
            {{"reason", close_reason_.empty() ? "closed" : close_reason_}});
  deps_.metrics.closed(transport, setup_.direction);
}

asio::awaitable<void> Connection::loops() {
  // One flat group (nested `||` would put two loops behind a thread that filters out the
  // TaskGroup's total cancellation): the first loop to finish cancels the others.
  auto ex = timer_.get_executor();
  auto group =
      asio::experimental::make_parallel_group(asio::co_spawn(ex, read_loop(), asio::deferred),
                                              asio::co_spawn(ex, write_loop(), asio::deferred),
                                              asio::co_spawn(ex, watchdog(), asio::deferred));
  auto finished = co_await group.async_wait(asio::experimental::wait_for_one(), kNoThrow);
  (void)finished;
}

asio::awaitable<void> Connection::read_loop() {
  co_await accept_total_cancellation();
  for (;;) {
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
        close_reason_ = n.error() == asio::error::eof                 ? "peer_closed"
                        : n.error() == asio::error::operation_aborted ? "cancelled"
                                                                      : "read_error";
      }
      co_return;
    }
    last_read_ = Clock::now();
    if (pong_due_) {
      pong_due_.reset();  // any byte shows the peer is there (RFC 5626 §4.4.1)
      timer_.cancel();    // the watchdog schedules the next ping
    }
    std::string_view bytes(chunk.get(), *n);
    if (WireTrace::sip.load(std::memory_order_relaxed)) {
      log_.info("sip.wire", {{"dir", "in"}, {"bytes", bytes}});
    }
    framer_.feed(bytes);
    unframed_.append(bytes);
    bool more = co_await drain();
    if (!more) {
      co_await linger();
      co_return;
    }
  }
}

// Hands every complete frame on; false when framing is lost. The messages of one read go up
// together, after the read (a 400 for a bad one is queued in place).
asio::awaitable<bool> Connection::drain() {
  bool framed = true;
  for (;;) {
    auto next = framer_.pop();
    if (!next) {
      break;
    }
    if (!framer_.failed()) {
      unframed_.erase(0, unframed_.size() - framer_.buffered());
      if (unframed_.empty()) {
        unframed_.shrink_to_fit();  // idle connections keep no copy
      }
    }
    if (!*next) {
      if (!reject(next->error())) {
        framed = false;
        break;
      }
      continue;
    }
    if (std::holds_alternative<KeepAlivePing>(next->value())) {
      deps_.metrics.keepalive(Direction::inbound);
      queue("\r\n");  // RFC 5626 §3.5.1: a CRLF pong
      continue;
    }
    if (std::holds_alternative<KeepAlivePong>(next->value())) {
      continue;  // answers our ping; reading it already cleared pong_due_
    }
    if (auto* message = std::get_if<Message>(&next->value())) {
      deliver(std::move(*message));
    }
  }
  co_await hand_on();
  co_return framed;
}

void Connection::deliver(Message message) {
  deps_.metrics.message(Direction::inbound);
  negotiate(message);
  if (log_.enabled(LogLevel::debug)) {
    const auto& h = headers_of(message);
    log_.debug("sip.transport.message_in", {{"call_id", h.call_id}, {"cseq", h.cseq.sequence}});
  }
  parsed_.push_back(std::move(message));
}

// The handler's fast path takes the whole read at once; otherwise one awaited call each.
asio::awaitable<void> Connection::hand_on() {
  if (parsed_.empty()) {
    co_return;
  }
  const ConnectionHandle from = handle_of(setup_);
  if (!deps_.handler.take_messages(parsed_, from)) {
    for (auto& message : parsed_) {
      // Arguments built in their own statement: GCC 12 destroys temporaries inside a
      // co_await expression twice.
      auto handling = deps_.handler.on_message(std::move(message), from);
      co_await std::move(handling);
    }
  }
  parsed_.clear();
}

// MS-CONMGMT §2.2.1: a peer that offers hop-hop keep-alives keeps its connection open with
// them (we announce our timeout in the answer); a peer that answers our offer asking for
// hop-hop keep-alives within N seconds gets a ping every 4/5 of N.
void Connection::negotiate(const Message& message) {
  if (!setup_.keep_alive) {
    return;
  }
  if (const auto* request = std::get_if<Request>(&message)) {
    if (setup_.keep_alive->on_request(*request)) {
      auto announced = std::chrono::seconds(setup_.keep_alive->answer_timeout());
      idle_limit_ = std::max<Duration>(idle_limit_, announced + kKeepAliveGrace);
    }
    return;
  }
  if (auto seconds = setup_.keep_alive->on_response(std::get<Response>(message))) {
    Duration asked = std::chrono::milliseconds(std::uint64_t{*seconds} * 800);
    ping_interval_ = ping_interval_ == Duration::zero() ? asked : std::min(ping_interval_, asked);
    timer_.cancel();  // the watchdog recomputes its wake-up
    log_.debug("sip.transport.ms_keep_alive",
               {{"interval_ms",
                 std::chrono::duration_cast<std::chrono::milliseconds>(ping_interval_).count()}});
  }
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

// Drains everything queued into one write (fewer TLS records and syscalls under a burst, so
// the mailbox empties faster), then counts what was written.
asio::awaitable<void> Connection::write_loop() {
  co_await accept_total_cancellation();
  for (;;) {
    auto got = co_await setup_.mailbox->async_receive(kNoThrow);
    if (std::get<0>(got)) {
      co_return;  // closed or cancelled
    }
    Batch batch;
    add(batch, std::move(std::get<1>(got)));
    collect(batch);
    if (!batch.bytes.empty()) {
      auto written = co_await stream_.write(asio::buffer(batch.bytes));
      if (!written) {
        close_reason_ = "write_error";
        co_return;
      }
      deps_.metrics.message(Direction::outbound, batch.messages);
      deps_.metrics.keepalive(Direction::outbound, batch.keepalives);
    }
    report_refusals();
    if (batch.close) {
      if (close_reason_.empty()) {
        close_reason_ = "closed_locally";
      }
      co_return;
    }
  }
}

void Connection::add(Batch& batch, std::string piece) {
  if (piece.empty()) {
    batch.close = true;  // the close request
    return;
  }
  if (WireTrace::sip.load(std::memory_order_relaxed)) {
    log_.info("sip.wire", {{"dir", "out"}, {"bytes", piece}});
  }
  if (piece != "\r\n" && piece != "\r\n\r\n") {
    ++batch.messages;
  } else {
    ++batch.keepalives;
  }
  if (batch.bytes.empty()) {
    batch.bytes = std::move(piece);
  } else {
    batch.bytes += piece;
  }
}

// Takes what is already queued, without waiting, up to kMaxBatch bytes or a close request.
void Connection::collect(Batch& batch) {
  bool more = true;
  while (more && !batch.close && batch.bytes.size() < kMaxBatch) {
    more = setup_.mailbox->try_receive([&](boost::system::error_code ec, std::string piece) {
      if (ec) {
        more = false;
      } else {
        add(batch, std::move(piece));
      }
    });
  }
}

// Counts the sends refused since the last call and warns (at most every kRefusalLogInterval):
// a full mailbox means a message was not sent, which an operator must see.
void Connection::report_refusals() {
  if (!setup_.refusals) {
    return;
  }
  auto total = setup_.refusals->load(std::memory_order_relaxed);
  if (total == refusals_reported_) {
    return;
  }
  deps_.metrics.mailbox_full(total - refusals_reported_);
  refusals_reported_ = total;
  auto now = Clock::now();
  if (refusal_logged_ && now < *refusal_logged_ + kRefusalLogInterval) {
    return;
  }
  refusal_logged_ = now;
  log_.warn("sip.transport.mailbox_full",
            {{"refused_total", total}, {"capacity", deps_.config.mailbox_capacity}});
}

// Closes the connection when it has been silent too long or a ping went unanswered, and
// sends the CRLF pings; re-reads its inputs on every wake-up (read_loop and negotiate move
// them).
asio::awaitable<void> Connection::watchdog() {
  co_await accept_total_cancellation();
  for (;;) {
    TimePoint wake;
    if (!watch(Clock::now(), wake)) {
      co_return;
    }
    timer_.expires_at(wake);
    auto waited = co_await timer_.async_wait(kNoThrow);
    (void)waited;
    auto state = co_await asio::this_coro::cancellation_state;
    if (state.cancelled() != asio::cancellation_type::none) {
      co_return;
    }
  }
}

// One watchdog step at `now`: false when the connection must end; else `wake` is when to look
// again. RFC 5626 §4.4.1: "\r\n\r\n" after ping_interval_ of silence, a pong (any byte)
// within keep_alive_timeout.
bool Connection::watch(TimePoint now, TimePoint& wake) {
  if (pong_due_ && now >= *pong_due_) {
    deps_.metrics.refused("keepalive_timeout");
    stop("keepalive_timeout");
    return false;
  }
  if (now >= last_read_ + idle_limit_) {
    stop("idle_timeout");
    return false;
  }
  wake = last_read_ + idle_limit_;
  if (ping_interval_ > Duration::zero() && !pong_due_) {
    if (now >= last_read_ + ping_interval_) {
      queue("\r\n\r\n");
      pong_due_ = now + deps_.config.keep_alive_timeout;
    } else {
      wake = std::min(wake, last_read_ + ping_interval_);
    }
  }
  if (pong_due_) {
    wake = std::min(wake, *pong_due_);
  }
  return true;
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

}  // namespace

std::uint64_t next_connection_id() { return g_next_id.fetch_add(1); }

std::shared_ptr<Mailbox> make_mailbox(const asio::any_io_executor& ex,
                                      const TransportConfig& config) {
  return std::make_shared<Mailbox>(ex, config.mailbox_capacity);
}

namespace {

// What open_channel allocates: the mailbox and the negotiation together.
struct Channel {
  Channel(const asio::any_io_executor& ex, const TransportConfig& config, bool offer)
      : mailbox(ex, config.mailbox_capacity), keep_alive(offer, config.ms_keep_alive_timeout) {}
  Mailbox mailbox;
  KeepAliveNegotiation keep_alive;
  RefusalCount refusals{0};
};

}  // namespace

void open_channel(ConnectionSetup& setup, const asio::any_io_executor& ex,
                  const TransportConfig& config) {
  bool offer = config.ms_keep_alive_offer && setup.direction == Direction::outbound;
  auto channel = std::make_shared<Channel>(ex, config, offer);
  setup.mailbox = std::shared_ptr<Mailbox>(channel, &channel->mailbox);
  setup.keep_alive = std::shared_ptr<KeepAliveNegotiation>(channel, &channel->keep_alive);
  setup.refusals = std::shared_ptr<RefusalCount>(channel, &channel->refusals);
}

ConnectionHandle handle_of(const ConnectionSetup& setup) {
  return ConnectionHandle(setup.mailbox, setup.keep_alive, setup.refusals, setup.id,
                          setup.remote);
}

asio::awaitable<void> run_connection(SipStream stream, ConnectionSetup setup,
                                     ConnectionDeps& deps) {
  // Cancellation before the loops start must not throw (TaskGroup reports that as a bug).
  co_await asio::this_coro::throw_if_cancelled(false);
  auto ex = co_await asio::this_coro::executor;
  Connection connection(std::move(stream), std::move(setup), deps, ex);
  co_await connection.run();
}

}  // namespace fedgate::sip
