#include "xmpp/transport/inbound_session.hpp"

#include <algorithm>
#include <atomic>
#include <boost/asio/error.hpp>
#include <string>

#include "xmpp/stream/inbound_stream.hpp"
#include "xmpp/transport/s2s_pool.hpp"
#include "xmpp/transport/session_io.hpp"
#include "xmpp/transport/stanza_pipeline.hpp"
#include "xmpp/transport/tls_facts.hpp"

// GCC 12 (-O1, ASan) inlines a child coroutine's frame allocation into its caller and then
// reports Asio's awaitable_frame_base operator new/delete pair as mismatched: a false
// positive (the frame is allocated and freed by that class's own pair).
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

namespace fedgate::xmpp {
namespace {

namespace asio = boost::asio;
std::atomic<std::uint64_t> g_next_id{1};

std::string peer_of(asio::ip::tcp::socket& socket) {
  boost::system::error_code ec;
  auto endpoint = socket.remote_endpoint(ec);
  return ec ? std::string("unknown")
            : endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
}

// Stanzas in the handler's hands at once per stream (each holds its element and a coroutine
// frame): enough to fill the switchboard's group commits, bounded against a flood.
constexpr std::size_t kStanzasInFlight = 512;

class InboundSession {
 public:
  InboundSession(asio::ip::tcp::socket socket, InboundDeps& deps)
      : deps_(deps),
        log_(deps.log.with(
            {{"conn", "in-" + std::to_string(g_next_id++)}, {"peer", peer_of(socket)}})),
        io_(XmppSocket(std::move(socket))),
        config_(deps.config.stream.load()),
        stream_(config_, Clock::now()),
        pipeline_(StanzaPipeline::create(io_.socket().socket().get_executor(), deps.handler,
                                         kStanzasInFlight)) {}

  asio::awaitable<void> run(bool direct_tls);

 private:
  asio::awaitable<void> carry(StreamActions& a);
  asio::awaitable<void> upgrade();
  void hand_over(StreamActions& a);  // the stanzas to the handler, in order
  asio::awaitable<void> flush();     // the writes whose stanzas the handler has taken
  asio::awaitable<void> drain();     // before closing: every stanza started completes
  asio::awaitable<void> dispatch(StreamActions& a);
  asio::awaitable<void> ask(const DialbackVerify& verify);
  asio::awaitable<void> woke(TimePoint now);
  // One warn line per refusal (STYLE.md B6): the peer's address is in the context; `remote`
  // is the domain it claimed ("" before its header), then the reason and the specifics.
  void refused(std::string_view remote, const std::string& reason, const std::string& detail) {
    deps_.metrics.refused(reason);
    const std::string_view domain = remote.empty() ? std::string_view("-") : remote;
    if (detail.empty()) {
      log_.warn("xmpp.s2s.refused", {{"remote", domain}, {"reason", reason}});
    } else {
      log_.warn("xmpp.s2s.refused", {{"remote", domain}, {"reason", reason}, {"detail", detail}});
    }
  }
  void end(std::string reason) {
    closed_ = true;
    if (reason_.empty()) {
      reason_ = std::move(reason);
    }
  }

  InboundDeps& deps_;
  Logger log_;
  SessionIo io_;
  std::shared_ptr<const StreamConfig> config_;  // the settings when this stream started
  InboundStream stream_;
  std::shared_ptr<StanzaPipeline> pipeline_;  // shared with the handlers it started
  std::string out_;                           // the gathered writes, reused
  std::shared_ptr<VerdictBox> verdicts_;  // created on the first db:verify question
  TimePoint wake_at_ = TimePoint::max();
  TimePoint idle_at_ = TimePoint::max();  // hibernate the parser then
  TimePoint handshake_deadline_ = TimePoint::max();
  bool closed_ = false;
  std::string reason_;
};

constexpr std::size_t kVerdictBoxSize = 16;  // questions in flight per inbound stream

asio::awaitable<void> InboundSession::run(bool direct_tls) {
  deps_.metrics.opened(S2sDirection::inbound);
  log_.info("xmpp.s2s.inbound_open", {{"direct_tls", direct_tls}});
  // The whole negotiation is bounded, a peer that never speaks included (connection-timeout).
  handshake_deadline_ = Clock::now() + config_->timeouts.handshake;
  wake_at_ = handshake_deadline_;
  if (direct_tls) {
    co_await upgrade();  // XEP-0368: TLS before the stream header
  }
  while (!closed_) {
    co_await flush();
    if (closed_) {
      break;
    }
    if (pipeline_->failed()) {
      end("handler_failed");
      break;
    }
    auto ev = co_await io_.next(std::min(wake_at_, idle_at_), verdicts_.get(), pipeline_->bell(),
                                pipeline_->can_read());
    if (ev.verdict && !closed_) {
      auto a = stream_.on_dialback_verdict(ev.verdict->request, ev.verdict->outcome, Clock::now());
      co_await carry(a);
    }
    if (!ev.bytes.empty()) {
      if (WireTrace::xmpp.load(std::memory_order_relaxed)) {
        log_.info("xmpp.wire", {{"dir", "in"}, {"bytes", ev.bytes}});
      }
      idle_at_ = Clock::now() + deps_.config.hibernate_after;
      auto a = stream_.on_bytes(ev.bytes, Clock::now());
      co_await carry(a);
    } else if (ev.read_error) {
      end(ev.read_error == asio::error::eof ? "peer_closed" : "read_error");
    }
    if (ev.woke && !closed_) {
      co_await woke(Clock::now());
    }
  }
  co_await drain();
  co_await io_.close();
  deps_.metrics.closed(S2sDirection::inbound, reason_);
  log_.info("xmpp.s2s.inbound_closed", {{"reason", reason_}, {"domain", stream_.peer_domain()}});
}

// The timer fired: the stream's own deadline, or the end of a quiet spell after which the
// parser gives its memory back (S2sConfig::hibernate_after).
asio::awaitable<void> InboundSession::woke(TimePoint now) {
  if (now >= idle_at_) {
    stream_.release_memory();
    io_.release_buffers();
    idle_at_ = TimePoint::max();  // until bytes come again
  }
  if (now >= wake_at_) {
    auto a = stream_.on_wake(now);
    co_await carry(a);
  }
}

asio::awaitable<void> InboundSession::upgrade() {
  if (!deps_.config.server_tls) {
    end("tls_unavailable");
    co_return;
  }
  const auto left = std::max<Duration>(handshake_deadline_ - Clock::now(), Duration::zero());
  auto handshake = io_.start_tls(*deps_.config.server_tls, gateway::TlsSocket::Role::server,
                                 std::string(), std::min(deps_.config.tls_timeout, left));
  auto shaken = co_await std::move(handshake);
  if (!shaken) {
    refused(stream_.peer_domain(), "tls_handshake", shaken.error().message());
    end("tls_handshake");
    co_return;
  }
  auto facts = tls_facts(io_.socket().ssl(), gateway::PeerRole::client);
  auto a = stream_.on_tls_established(std::move(facts), Clock::now());
  co_await carry(a);
}

asio::awaitable<void> InboundSession::carry(StreamActions& a) {
  // Stanzas first: an XEP-0198 <a h='n'/> in `write` counts the stanzas parsed with it, and it
  // may only go out once the handler has taken them (the outbox commit, or their error reply).
  // The pipeline holds the write until then; a write with no stanza before it goes now.
  hand_over(a);
  pipeline_->push_write(std::move(a.write));
  co_await flush();
  if (closed_) {
    co_return;
  }
  if (a.start_tls) {
    co_await upgrade();
  }
  co_await dispatch(a);
  if (a.close) {
    if (a.close->error || a.close->reason == "starttls_refused") {
      refused(stream_.peer_domain(), a.close->reason, a.close->detail);
    }
    end(a.close->reason);
  }
  if (a.wake_at) {
    wake_at_ = *a.wake_at;
  }
}

void InboundSession::hand_over(StreamActions& a) {
  for (std::size_t i = 0; i < a.stanzas.size(); ++i) {
    deps_.metrics.stanza(S2sDirection::inbound);
  }
  pipeline_->push(a.stanzas);  // one call: a batching handler gets them together
}

asio::awaitable<void> InboundSession::flush() {
  out_.clear();
  if (!pipeline_->take_ready_writes(out_)) {
    co_return;
  }
  if (WireTrace::xmpp.load(std::memory_order_relaxed)) {
    log_.info("xmpp.wire", {{"dir", "out"}, {"bytes", out_}});
  }
  auto written = co_await io_.write(out_);
  if (!written) {
    end("write_error");
  }
}

// The handlers keep their stanzas (and the outbox its commits) whatever the stream does: wait
// for them, then send what their completion released (unless writing failed already). After a
// handler failure only the prefix before it is acknowledged; the peer resends the rest.
asio::awaitable<void> InboundSession::drain() {
  while (!pipeline_->idle()) {
    auto ev = co_await io_.next(TimePoint::max(), nullptr, pipeline_->bell(), false);
    (void)ev;
  }
  if (reason_ != "write_error" && reason_ != "read_error") {
    co_await flush();
  }
  if (pipeline_->failed()) {
    log_.error("xmpp.s2s.handler_failed",
               {{"domain", stream_.peer_domain()}, {"taken", pipeline_->taken()}});
  }
}

asio::awaitable<void> InboundSession::dispatch(StreamActions& a) {
  for (auto& done : a.authenticated) {
    log_.info("xmpp.s2s.authenticated", {{"local", done.pair.local},
                                         {"remote", done.pair.remote},
                                         {"method", auth_method_name(done.method)}});
  }
  for (auto& refusal : a.refused) {
    refused(refusal.pair.remote, refusal.reason, refusal.detail);
  }
  for (auto& verify : a.verify) {
    co_await ask(verify);
  }
}

// XEP-0220 §2.1.2: the pool carries the question to the authoritative server; its verdict
// comes back through verdicts_. Without a pool the key cannot be checked (§2.4: error).
asio::awaitable<void> InboundSession::ask(const DialbackVerify& verify) {
  log_.debug("xmpp.s2s.dialback_verify",
             {{"local", verify.receiving}, {"remote", verify.originating}});
  if (deps_.pool != nullptr) {
    if (!verdicts_) {
      verdicts_ =
          std::make_shared<VerdictBox>(io_.socket().socket().get_executor(), kVerdictBoxSize);
    }
    deps_.pool->verify(verify, verdicts_);
    co_return;
  }
  log_.warn("xmpp.s2s.dialback_unverifiable",
            {{"remote", verify.originating}, {"reason", "no_pool"}});
  auto next = stream_.on_dialback_verdict(verify, DialbackOutcome::error, Clock::now());
  co_await carry(next);
}

}  // namespace

asio::awaitable<void> refuse_inbound_session(asio::ip::tcp::socket socket, bool direct_tls,
                                             InboundDeps& deps) {
  SessionIo io{XmppSocket(std::move(socket))};
  if (!direct_tls) {
    InboundStream stream(deps.config.stream.load(), Clock::now());
    auto a = stream.error(StreamErrc::policy_violation, "too_many_streams", Clock::now());
    auto written = co_await io.write(a.write);
    (void)written;  // the peer may be gone already; nothing more to do either way
  }
  co_await io.close();
}

asio::awaitable<void> run_inbound_session(asio::ip::tcp::socket socket, bool direct_tls,
                                          InboundDeps& deps) {
  InboundSession session(std::move(socket), deps);
  co_await session.run(direct_tls);
}

}  // namespace fedgate::xmpp
