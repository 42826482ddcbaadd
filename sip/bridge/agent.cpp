// SipAgent core: the strand, the timer loop, the transaction table's effects, and sending
// requests along their next hops (RFC 3261 §17, §18; RFC 3263 §4.3 next target on failure).
#include "sip/bridge/agent.hpp"

#include <algorithm>

// GCC 12 (-O1, ASan) reports Asio's awaitable frame operator new/delete pair as mismatched
// when it inlines a child coroutine's frame allocation: a false positive (see sip_net).
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

#include <fmt/format.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <utility>

#include "sip/bridge/agent_persist.hpp"
#include "sip/bridge/options.hpp"
#include "sip/codec/error_response.hpp"
#include "sip/transport/transport_error.hpp"

namespace fedgate::sip {

namespace asio = boost::asio;
namespace {
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);
// Messages handed over by take_messages() and not yet handled, beyond which it refuses.
constexpr std::size_t kMaxQueued = 8192;
}  // namespace

// A coroutine waiting for the final response of one client transaction (agent strand).
struct SipAgent::Waiter {
  explicit Waiter(const asio::any_io_executor& ex) : signal(ex, TimePoint::max()) {}
  asio::steady_timer signal;  // cancelled when `response` or `failure` is set
  std::optional<Response> response;
  std::optional<TxOutcome> failure;
};

SipAgent::SipAgent(asio::any_io_executor ex, AgentConfig config, ConnectionPool& pool,
                   RouteResolver& routes, AgentEvents& events, AgentMetrics& metrics, Logger log)
    : strand_(asio::make_strand(ex)),
      config_(std::move(config)),
      pool_(pool),
      routes_(routes),
      events_(events),
      metrics_(metrics),
      log_(std::move(log)),
      tasks_(strand_, log_),
      wake_timer_(strand_),
      random_(std::random_device{}()),
      branches_(random_()) {}

SipAgent::~SipAgent() = default;

void SipAgent::start() {
  tasks_.spawn("sip.agent.timers", timer_loop());
  tasks_.spawn("sip.agent.keepalive", keepalive_loop());  // idle while the list is empty
}

void SipAgent::stop() {
  queued_.fetch_add(1);  // stopped() waits for this too: it touches the agent
  asio::dispatch(strand_, [this] {
    stopped_ = true;
    wake_timer_.cancel();
    std::vector<std::function<void(Response)>> finishers;
    for (auto& [tx, ctx] : clients_) {
      if (ctx.waiter) {
        ctx.waiter->failure = TxOutcome::transport_error;
        ctx.waiter->signal.cancel();
      }
      if (ctx.finish) {
        finishers.push_back(std::exchange(ctx.finish, nullptr));
      }
    }
    for (auto& finish : finishers) {
      finish(failure_response(TxEnd{0, TxOutcome::transport_error}));
    }
    queued_.fetch_sub(1);
  });
  tasks_.cancel();
}

// Polled (every 10 ms, at most `limit`): tasks end on their own strands, batches on ours.
asio::awaitable<bool> SipAgent::stopped(Duration limit) {
  auto busy = [this] { return queued_.load() > 0 || tasks_.size() > 0; };
  asio::steady_timer timer(co_await asio::this_coro::executor);
  const TimePoint deadline = Clock::now() + limit;
  while (busy() && Clock::now() < deadline) {
    timer.expires_after(std::chrono::milliseconds(10));
    co_await timer.async_wait(kNoThrow);
  }
  co_return !busy();
}

asio::awaitable<void> SipAgent::on_message(Message message, ConnectionHandle from) {
  // Each awaitable is built in its own statement: GCC 12 destroys temporaries inside a
  // co_await expression twice (see sip/transport/connection.cpp).
  auto work = [](SipAgent* self, Message m, ConnectionHandle f) -> asio::awaitable<void> {
    self->handle(std::move(m), f);
    self->rearm();
    co_return;
  };
  auto on_strand =
      asio::co_spawn(strand_, work(this, std::move(message), std::move(from)), asio::use_awaitable);
  co_await std::move(on_strand);
}

// A SUBSCRIBE's or INVITE's response wakes the coroutine that sent it; the NOTIFY read after
// it must not overtake it (RFC 6665 §4.1.2.4 tolerates that, but the subscriber then settles its
// dialog twice). Such a read goes the awaited way, one message after the other.
namespace {
bool wakes_sender(const Message& m) {
  const auto* r = std::get_if<Response>(&m);
  return r != nullptr && (r->cseq.method == Method::subscribe || r->cseq.method == Method::invite);
}
}  // namespace

bool SipAgent::take_messages(std::vector<Message>& batch, const ConnectionHandle& from) {
  if (queued_.load(std::memory_order_relaxed) >= kMaxQueued ||
      std::any_of(batch.begin(), batch.end(), wakes_sender)) {
    return false;
  }
  queued_.fetch_add(batch.size());
  asio::post(strand_, [this, batch = std::move(batch), from]() mutable {
    for (auto& message : batch) {
      handle(std::move(message), from);
    }
    rearm();
    queued_.fetch_sub(batch.size());
  });
  batch.clear();
  return true;
}

void SipAgent::handle(Message message, const ConnectionHandle& from) {
  if (auto* response = std::get_if<Response>(&message)) {
    apply(table_.on_response(*response, Clock::now()));
    return;
  }
  on_request(std::move(std::get<Request>(message)), from);
}

asio::awaitable<std::size_t> SipAgent::transaction_count() {
  auto count = [this]() -> asio::awaitable<std::size_t> { co_return table_.size(); };
  auto on_strand = asio::co_spawn(strand_, count, asio::use_awaitable);
  co_return co_await std::move(on_strand);
}

// One timer for the table and every usage: it sleeps until the earliest deadline; rearm()
// cancels the wait when an event brings a deadline forward.
asio::awaitable<void> SipAgent::timer_loop() {
  while (!stopped_) {
    wake_timer_.expires_at(next_deadline().value_or(TimePoint::max()));
    auto [ec] = co_await wake_timer_.async_wait(kNoThrow);
    if (stopped_) {
      break;
    }
    if (!ec) {
      on_timers(Clock::now());
    }
    auto state = co_await asio::this_coro::cancellation_state;
    if (state.cancelled() != asio::cancellation_type::none) {
      break;
    }
  }
}

void SipAgent::on_timers(TimePoint now) {
  apply(table_.on_wake(now));
  wake_usages(now);
  wake_sessions(now);
  if (!hot_.empty()) {
    AgentPersist::sweep(*this, now);
  }
}

std::optional<TimePoint> SipAgent::next_deadline() const {
  auto next = table_.next_wake();
  if (!subscriber_wakes_.empty()) {
    next = earliest(next, subscriber_wakes_.begin()->first);
  }
  if (!notifier_wakes_.empty()) {
    next = earliest(next, notifier_wakes_.begin()->first);
  }
  if (!session_wakes_.empty()) {
    next = earliest(next, session_wakes_.begin()->first);
  }
  if (!hot_.empty()) {
    next = earliest(next, hot_.next_sweep);
  }
  return next;
}

// A usage became hot while none was: the timer loop must see the sweep's deadline.
void SipAgent::schedule_sweep() {
  if (const TimePoint now = Clock::now(); hot_.next_sweep <= now) {
    hot_.next_sweep = now + kHotPeriod;
  }
  rearm();
}

void SipAgent::rearm() {
  auto next = next_deadline();
  if (next && *next < wake_timer_.expiry()) {
    wake_timer_.cancel();  // the loop recomputes its deadline
  }
}

// Carries out what the table asks: send on the transaction's connection, wake the coroutine
// waiting for a final response, forget ended transactions.
void SipAgent::apply(TxEffects effects) {
  std::vector<TxId> failed;
  for (auto& send : effects.send) {
    const ConnectionHandle* conn = nullptr;
    if (auto s = servers_.find(send.tx); s != servers_.end()) {
      conn = &s->second.connection;
    } else if (auto c = clients_.find(send.tx); c != clients_.end()) {
      conn = &c->second.connection;
    }
    if (!conn || !conn->send(send.message)) {
      failed.push_back(send.tx);
    }
  }
  // Finishers run last: they may start requests and so change clients_.
  std::vector<std::pair<std::function<void(Response)>, Response>> finished;
  for (auto& up : effects.to_tu) {
    auto c = clients_.find(up.tx);
    if (c == clients_.end() || up.response.status < 200) {
      continue;
    }
    if (c->second.finish) {
      finished.emplace_back(std::exchange(c->second.finish, nullptr), std::move(up.response));
    } else if (c->second.waiter && !c->second.waiter->response) {
      c->second.waiter->response = std::move(up.response);
      c->second.waiter->signal.cancel();
    }
  }
  for (auto& end : effects.ended) {
    if (auto c = clients_.find(end.tx); c != clients_.end()) {
      if (c->second.finish) {
        finished.emplace_back(std::exchange(c->second.finish, nullptr), failure_response(end));
      } else if (c->second.waiter && !c->second.waiter->response) {
        c->second.waiter->failure = end.outcome;
        c->second.waiter->signal.cancel();
      }
      clients_.erase(c);
    }
    servers_.erase(end.tx);
  }
  for (TxId tx : failed) {
    apply(table_.on_transport_error(tx, Clock::now()));  // §17.1.4 / §17.2.4
  }
  for (auto& [finish, response] : finished) {
    finish(std::move(response));
  }
}

// A client transaction of start_request() ended without a final response.
Response SipAgent::failure_response(const TxEnd& end) {
  const bool timeout = end.outcome == TxOutcome::timeout;
  metrics_.failed(timeout ? "timeout" : "transport_error");
  log_.info("sip.agent.hop_failed", {{"reason", to_string(end.outcome)}});
  Response r;
  r.status = timeout ? 408 : 503;
  r.reason = timeout ? "Request Timeout" : "Service Unavailable";
  return r;
}

void SipAgent::respond(TxId tx, Response response) {
  auto effects = table_.on_tu_response(tx, std::move(response), Clock::now());
  if (!effects) {
    log_.warn("sip.agent.respond_failed", {{"error", effects.error().message()}});
    return;
  }
  apply(std::move(*effects));
  rearm();
}

// Sends `request` (agent strand) along its next hops until one gives a final response.
asio::awaitable<Response> SipAgent::transact(Request request) {
  metrics_.request(request.method == Method::other ? "other" : request.method_name(), "out");
  auto hops = co_await routes_.next_hops(request);
  if (!hops) {
    auto e = static_cast<RouteErrc>(hops.error().value());
    metrics_.failed("no_route");
    log_.info("sip.agent.no_route",
              {{"target", request.request_uri.host}, {"reason", hops.error().message()}});
    co_return make_error_response(request, status_for(e), std::string(hops.error().message()));
  }
  int failure = 503;
  for (std::size_t i = 0; i < hops->size(); ++i) {
    if (i > 0) {
      set_param(request.via.front().params, "branch", branches_.next());  // a new transaction
    }
    auto trying = try_hop(request, (*hops)[i]);
    HopResult hop = co_await std::move(trying);
    if (hop.response && hop.response->status != 503) {
      co_return std::move(*hop.response);  // RFC 3263 §4.3: 503 means try the next target
    }
    failure = hop.response ? 503 : hop.failure;
  }
  co_return make_error_response(request, failure,
                                failure == 408 ? "Request Timeout" : "Service Unavailable");
}

// One attempt: connect (or reuse), start the client transaction, wait for its end. No
// response on a connection failure (503), a timeout (408) or a transport error (503).
asio::awaitable<SipAgent::HopResult> SipAgent::try_hop(Request& request, const NextHop& hop) {
  HopResult outcome;
  PeerKey peer(hop.host, hop.port, hop.transport);
  auto connecting = pool_.connect(peer);
  auto conn = co_await std::move(connecting);
  if (!conn) {
    metrics_.failed("connect");
    log_.info("sip.agent.hop_failed",
              {{"hop", hop.host}, {"port", hop.port}, {"reason", conn.error().message()}});
    co_return outcome;
  }
  connections_.insert_or_assign(peer, *conn);  // for start_request()
  TxEffects effects;
  auto tx = table_.start_client(request, true, Clock::now(), effects);
  if (!tx) {
    log_.error("bug.sip.agent.start_client", {{"error", tx.error().message()}});
    co_return outcome;
  }
  Waiter waiter{strand_};
  clients_.insert_or_assign(*tx, ClientCtx(*conn, &waiter));
  apply(std::move(effects));
  rearm();
  if (!waiter.response && !waiter.failure) {
    co_await waiter.signal.async_wait(kNoThrow);
  }
  if (auto c = clients_.find(*tx); c != clients_.end()) {
    c->second.waiter = nullptr;  // cancelled while waiting: the table may outlive us
  }
  if (waiter.response) {
    outcome.response = std::move(waiter.response);
    co_return outcome;
  }
  if (waiter.failure == TxOutcome::timeout) {
    outcome.failure = 408;
  }
  metrics_.failed(waiter.failure == TxOutcome::timeout ? "timeout" : "transport_error");
  log_.info("sip.agent.hop_failed",
            {{"hop", hop.host},
             {"port", hop.port},
             {"reason", waiter.failure ? to_string(*waiter.failure) : "cancelled"}});
  co_return outcome;
}

asio::awaitable<Response> SipAgent::send_request(Request request) {
  auto work = transact(std::move(request));
  auto on_strand = asio::co_spawn(strand_, std::move(work), asio::use_awaitable);
  co_return co_await std::move(on_strand);
}

// The live connection try_hop last used for the request's one next hop, if routing needs no DNS.
const ConnectionHandle* SipAgent::known_connection(const Request& request) {
  auto hops = routes_.next_hops_now(request);
  if (!hops || !*hops || (*hops)->size() != 1) {
    return nullptr;
  }
  const NextHop& hop = (*hops)->front();
  auto known = connections_.find(PeerKey(hop.host, hop.port, hop.transport));
  return known != connections_.end() && known->second.alive() ? &known->second : nullptr;
}

bool SipAgent::send_now(const Request& request) {
  const ConnectionHandle* conn = known_connection(request);
  return conn != nullptr && conn->send(request).has_value();
}

void SipAgent::start_request(Request request, std::function<void(Response)> finish) {
  const ConnectionHandle* known = known_connection(request);
  if (known == nullptr) {
    start_request_slowly(std::move(request), std::move(finish));
    return;
  }
  TxEffects effects;
  auto tx = table_.start_client(std::move(request), true, Clock::now(), effects);
  if (!tx) {
    log_.error("bug.sip.agent.start_client", {{"error", tx.error().message()}});
    finish(failure_response(TxEnd{0, TxOutcome::transport_error}));
    return;
  }
  // The first send is made here: when the connection closed after known_connection() looked,
  // the request goes the coroutine way (a new connection) instead of failing with a 503.
  auto first = std::find_if(effects.send.begin(), effects.send.end(),
                            [&tx](const TxSend& s) { return s.tx == *tx; });
  if (first != effects.send.end()) {
    auto* sending = std::get_if<Request>(&first->message);
    auto sent = known->send(first->message);
    if (!sent && sending != nullptr &&
        sent.error() == make_error_code(TransportErrc::connection_closed)) {
      Request again = std::move(*sending);
      (void)table_.on_transport_error(*tx, Clock::now());  // ends it; nobody waits for it
      set_param(again.via.front().params, "branch", branches_.next());  // a new transaction
      log_.debug("sip.agent.redial", {{"reason", "connection_closed"}});
      start_request_slowly(std::move(again), std::move(finish));
      return;
    }
    if (sending != nullptr) {
      metrics_.request(sending->method == Method::other ? "other" : sending->method_name(), "out");
    }
    if (sent) {
      effects.send.erase(first);
    }  // else apply() sends again, fails and ends it (a full mailbox: 503)
  }
  clients_.insert_or_assign(*tx, ClientCtx(*known, nullptr)).first->second.finish =
      std::move(finish);
  apply(std::move(effects));
  rearm();
}

// Routing needs DNS, several hops or a connection: the coroutine way.
void SipAgent::start_request_slowly(Request request, std::function<void(Response)> finish) {
  struct Once {  // `done` is called whatever happens, once (503 if the task is cancelled)
    std::function<void(Response)> done;
    ~Once() {
      if (done) {
        Response r;
        r.status = 503;
        r.reason = "Service Unavailable";
        done(std::move(r));
      }
    }
  };
  auto slow = [](SipAgent* self, Request r,
                 std::function<void(Response)> done) -> asio::awaitable<void> {
    Once once{std::move(done)};
    auto sending = self->transact(std::move(r));
    Response response = co_await std::move(sending);
    std::exchange(once.done, nullptr)(std::move(response));
  };
  tasks_.spawn("sip.agent.send", slow(this, std::move(request), std::move(finish)));
}

std::string SipAgent::new_tag() { return fmt::format("{:016x}", random_()); }

LocalEndpoint SipAgent::local_endpoint() const {
  return LocalEndpoint{agent_via(config_), agent_contact(config_)};
}

}  // namespace fedgate::sip
