#include "xmpp/transport/outbound_session.hpp"

#include <algorithm>
#include <atomic>
#include <boost/asio/error.hpp>
#include <boost/asio/ip/address.hpp>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "xmpp/codec/jid.hpp"
#include "xmpp/stream/outbound_stream.hpp"
#include "xmpp/transport/s2s_discovery.hpp"
#include "xmpp/transport/tls_facts.hpp"

// GCC 12 (-O1, ASan) inlines a child coroutine's frame allocation into its caller and then
// reports Asio's awaitable_frame_base operator new/delete pair as mismatched: a false
// positive (the frame is allocated and freed by that class's own pair).
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

namespace fedgate::xmpp {
namespace {

namespace asio = boost::asio;
std::atomic<std::uint64_t> g_next_id{1};

constexpr std::size_t kBatchItems = 256;        // mailbox items carried in one write
constexpr std::size_t kBatchBytes = 64 * 1024;  // ... or this many bytes of it

bool is_timeout(const boost::system::error_code& ec) {
  return ec == boost::system::errc::timed_out || ec == asio::error::timed_out;
}

class OutboundSession {
 public:
  OutboundSession(DomainPair pair, std::shared_ptr<Mailbox> mailbox, OutboundDeps& deps)
      : pair_(std::move(pair)),
        mailbox_(std::move(mailbox)),
        deps_(deps),
        log_(deps.log.with(
            {{"conn", "out-" + std::to_string(g_next_id++)}, {"peer", pair_.remote}})),
        stream_(deps.config.stream.load(), pair_, Clock::now()) {}

  asio::awaitable<void> run();

 private:
  asio::awaitable<bool> dial();
  asio::awaitable<bool> try_candidate(const S2sCandidate& candidate);
  asio::awaitable<bool> try_address(const S2sCandidate& candidate, asio::ip::address address);
  asio::awaitable<void> drive();
  asio::awaitable<void> woke(TimePoint now);
  asio::awaitable<void> carry(StreamActions& a);
  asio::awaitable<void> upgrade();
  asio::awaitable<void> send(OutboundItem first);
  void absorb(OutboundItem& item, StreamActions& all, TimePoint now);
  void note(const StreamActions& a);
  void answer(const std::vector<DialbackVerdict>& verdicts);
  void finish();
  void fail_verifies();
  // One warn line per refusal (STYLE.md B6): the peer is in the context, the local domain,
  // the stable reason, and the specifics when the stream state machine gave them.
  void refused(const std::string& reason, const std::string& detail, std::string_view local = {}) {
    deps_.metrics.refused(reason);
    const std::string_view from = local.empty() ? std::string_view(pair_.local) : local;
    if (detail.empty()) {
      log_.warn("xmpp.s2s.refused", {{"local", from}, {"reason", reason}});
    } else {
      log_.warn("xmpp.s2s.refused", {{"local", from}, {"reason", reason}, {"detail", detail}});
    }
  }
  void end(std::string reason) {
    closed_ = true;
    if (reason_.empty()) {
      reason_ = std::move(reason);
    }
  }

  DomainPair pair_;
  std::shared_ptr<Mailbox> mailbox_;
  OutboundDeps& deps_;
  Logger log_;
  OutboundStream stream_;
  std::optional<SessionIo> io_;
  std::map<std::uint64_t, int> attempts_;  // tag -> streams the stanza was written on before
  std::map<std::uint64_t, std::string> ids_;  // tag -> stanza id, for deps_.delivered
  std::uint64_t next_tag_ = 1;
  TimePoint wake_at_ = TimePoint::max();
  TimePoint idle_at_ = TimePoint::max();  // hibernate the parser then
  bool closed_ = false;
  bool authenticated_ = false;  // the pair authenticated at least once on this stream
  bool timed_out_ = false;      // the failure was a timeout (remote-server-timeout)
  bool mailbox_open_ = true;
  std::vector<OutboundItem> leftover_;  // for finish(): resent or bounced
  // db:verify questions carried for inbound sessions, with where their verdicts go.
  std::vector<std::pair<DialbackVerify, std::weak_ptr<VerdictBox>>> verifying_;
  std::string reason_;
};

asio::awaitable<void> OutboundSession::run() {
  deps_.metrics.opened(S2sDirection::outbound);
  const bool dialled = co_await dial();
  if (dialled) {
    co_await drive();
    co_await io_->close();
  }
  deps_.metrics.closed(S2sDirection::outbound, reason_);
  log_.info("xmpp.s2s.outbound_closed", {{"reason", reason_}, {"local", pair_.local}});
  finish();
}

asio::awaitable<bool> OutboundSession::dial() {
  auto lookup = discover(pair_.remote, deps_.config, deps_.resolver, deps_.srv_random);
  auto candidates = co_await std::move(lookup);
  for (const auto& candidate : candidates) {
    const bool connected = co_await try_candidate(candidate);
    if (connected) {
      co_return true;
    }
  }
  if (reason_.empty()) {
    reason_ = candidates.empty() ? "no_service" : "connect_failed";
  }
  deps_.metrics.refused(reason_);
  log_.warn("xmpp.s2s.unreachable", {{"reason", reason_}, {"candidates", candidates.size()}});
  co_return false;
}

asio::awaitable<bool> OutboundSession::try_candidate(const S2sCandidate& candidate) {
  auto lookup = deps_.resolver.resolve_host(candidate.host);
  auto addresses = co_await std::move(lookup);
  if (!addresses) {
    log_.info("xmpp.s2s.host_unresolved", {{"host", candidate.host}});
    co_return false;
  }
  for (const auto& record : *addresses) {
    const bool connected = co_await try_address(candidate, record.address);
    if (connected) {
      co_return true;
    }
  }
  co_return false;
}

asio::awaitable<bool> OutboundSession::try_address(const S2sCandidate& candidate,
                                                   asio::ip::address address) {
  asio::ip::tcp::endpoint endpoint(address, candidate.port);
  auto connecting = connect_within(endpoint, deps_.config.connect_timeout);
  auto socket = co_await std::move(connecting);
  if (!socket) {
    timed_out_ = timed_out_ || is_timeout(socket.error());
    log_.info(
        "xmpp.s2s.connect_failed",
        {{"host", candidate.host}, {"port", candidate.port}, {"detail", socket.error().message()}});
    co_return false;
  }
  timed_out_ = false;
  io_.emplace(XmppSocket(std::move(*socket)));
  log_.info(
      "xmpp.s2s.connected",
      {{"host", candidate.host}, {"port", candidate.port}, {"direct_tls", candidate.direct_tls}});
  if (candidate.direct_tls) {
    co_await upgrade();  // XEP-0368: TLS before our stream header
  }
  co_return true;
}

asio::awaitable<void> OutboundSession::drive() {
  if (!closed_) {
    auto a = stream_.start(Clock::now());
    co_await carry(a);
  }
  while (!closed_) {
    if (mailbox_open_ && deps_.stopping.load()) {
      mailbox_open_ = false;  // node shutdown: close gracefully, leftovers go back in finish()
      auto a = stream_.close(Clock::now());
      co_await carry(a);
      continue;
    }
    auto ev =
        co_await io_->next(std::min(wake_at_, idle_at_), mailbox_open_ ? mailbox_.get() : nullptr);
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
    if (ev.mail) {
      co_await send(std::move(*ev.mail));
    }
    if (ev.woke && !closed_) {
      co_await woke(Clock::now());
    }
  }
}

// The timer fired: the stream's own deadline, or the end of a quiet spell after which the
// parser gives its memory back (S2sConfig::hibernate_after).
asio::awaitable<void> OutboundSession::woke(TimePoint now) {
  if (now >= idle_at_) {
    stream_.release_memory();
    io_->release_buffers();
    idle_at_ = TimePoint::max();  // until bytes come again
  }
  if (now >= wake_at_) {
    auto a = stream_.on_wake(now);
    co_await carry(a);
  }
}

// `first` and whatever else already waits in the mailbox go out in one write (bounded), so a
// burst costs one event-loop turn and one TLS write instead of one per stanza.
asio::awaitable<void> OutboundSession::send(OutboundItem first) {
  if (closed_) {
    leftover_.push_back(std::move(first));
    co_return;
  }
  StreamActions all;
  const TimePoint now = Clock::now();
  absorb(first, all, now);
  for (std::size_t n = 1; n < kBatchItems && all.write.size() < kBatchBytes && !all.close; ++n) {
    auto next = mailbox_->try_pop();
    if (!next) {
      break;
    }
    absorb(*next, all, now);
  }
  co_await carry(all);
}

void OutboundSession::absorb(OutboundItem& item, StreamActions& all, TimePoint now) {
  if (item.verify) {  // XEP-0220 §2.1.2: we are the receiving server asking our peer
    verifying_.emplace_back(*item.verify, std::move(item.reply));
    append(all, stream_.verify(std::move(*item.verify), now));
    return;
  }
  const auto tag = next_tag_++;
  if (item.attempt > 0) {
    attempts_[tag] = item.attempt;
  }
  if (deps_.delivered && !item.stanza.attr("id").empty()) {
    ids_.emplace(tag, std::string(item.stanza.attr("id")));
  }
  stream_.send(all, std::move(item.stanza), tag, now);
}

asio::awaitable<void> OutboundSession::upgrade() {
  if (!deps_.config.client_tls) {
    end("tls_unavailable");
    co_return;
  }
  // SNI names the remote domain by its A-labels (RFC 6066 §3, RFC 7622 §3.2).
  auto handshake = io_->start_tls(*deps_.config.client_tls, gateway::TlsSocket::Role::client,
                                  dns_name(pair_.remote), deps_.config.tls_timeout);
  auto shaken = co_await std::move(handshake);
  if (!shaken) {
    timed_out_ = is_timeout(shaken.error());
    refused("tls_handshake", shaken.error().message());
    end("tls_handshake");
    co_return;
  }
  auto facts = tls_facts(io_->socket().ssl(), gateway::PeerRole::server);
  auto a = stream_.on_tls_established(std::move(facts), Clock::now());
  co_await carry(a);
}

asio::awaitable<void> OutboundSession::carry(StreamActions& a) {
  if (!a.write.empty()) {
    if (WireTrace::xmpp.load(std::memory_order_relaxed)) {
      log_.info("xmpp.wire", {{"dir", "out"}, {"bytes", a.write}});
    }
    auto written = co_await io_->write(a.write);
    if (!written) {
      end("write_error");
      co_return;
    }
  }
  if (a.start_tls) {
    co_await upgrade();
  }
  note(a);
  if (a.close) {
    // A refusal the stream already reported in `refused` (dialback_invalid...) is one line.
    const bool reported = std::any_of(a.refused.begin(), a.refused.end(), [&](const Refusal& r) {
      return r.reason == a.close->reason;
    });
    if ((a.close->error || !authenticated_) && !reported) {
      refused(a.close->reason, a.close->detail);
    }
    timed_out_ = timed_out_ || a.close->reason.find("timeout") != std::string::npos;
    end(a.close->reason);
  }
  if (a.wake_at) {
    wake_at_ = *a.wake_at;
  }
}

void OutboundSession::note(const StreamActions& a) {
  for (const auto& done : a.authenticated) {
    authenticated_ = true;
    log_.info("xmpp.s2s.authenticated", {{"local", done.pair.local},
                                         {"remote", done.pair.remote},
                                         {"method", auth_method_name(done.method)}});
  }
  for (const auto& refusal : a.refused) {
    refused(refusal.reason, refusal.detail, refusal.pair.local);
  }
  for (auto tag : a.delivered) {
    attempts_.erase(tag);
    deps_.metrics.delivered();
    auto id = ids_.find(tag);
    if (id != ids_.end()) {
      if (stream_.sm_enabled()) {  // acknowledged; without XEP-0198 it was only written
        deps_.delivered(id->second);
      }
      ids_.erase(id);
    }
  }
  answer(a.verdicts);
}

void OutboundSession::answer(const std::vector<DialbackVerdict>& verdicts) {
  for (const auto& verdict : verdicts) {
    auto asked = std::find_if(verifying_.begin(), verifying_.end(),
                              [&](const auto& v) { return v.first == verdict.request; });
    if (asked == verifying_.end()) {
      continue;
    }
    log_.info("xmpp.s2s.dialback_verdict", {{"local", verdict.request.receiving},
                                            {"valid", verdict.outcome == DialbackOutcome::valid}});
    post_verdict(asked->second, verdict);
    verifying_.erase(asked);
  }
}

// Questions that will get no answer here: their inbound streams refuse with a dialback error.
void OutboundSession::fail_verifies() {
  for (auto& [request, reply] : verifying_) {
    post_verdict(reply, DialbackVerdict{std::move(request), DialbackOutcome::error});
  }
  verifying_.clear();
}

// RFC 6120 §8.3.3.16/.17 bounces; XEP-0198 §4: unacknowledged stanzas are sent once more. At
// node shutdown they are held instead (the outbox redelivers accepted messages at start).
void OutboundSession::finish() {
  deps_.detach(pair_, mailbox_.get());  // no new stanzas reach this mailbox from now on
  for (auto& pending : stream_.take_unacked()) {
    auto found = attempts_.find(pending.tag);
    int attempt = found == attempts_.end() ? 0 : found->second;
    leftover_.push_back({std::move(pending.stanza), attempt + (authenticated_ ? 1 : 0)});
  }
  mailbox_->close();  // then nothing more arrives: drain it
  while (auto item = mailbox_->try_pop()) {
    leftover_.push_back(std::move(*item));
  }
  fail_verifies();
  const auto condition =
      timed_out_ ? StanzaErrc::remote_server_timeout : StanzaErrc::remote_server_not_found;
  const bool stopping = deps_.stopping.load();
  std::size_t held = 0;
  for (auto& item : leftover_) {
    if (item.verify) {
      post_verdict(item.reply, DialbackVerdict{std::move(*item.verify), DialbackOutcome::error});
    } else if (stopping) {
      ++held;
      deps_.metrics.held();
    } else if (authenticated_ && item.attempt <= 1) {
      deps_.metrics.resent();
      deps_.resend(pair_, std::move(item));
    } else {
      deps_.metrics.bounced(condition_name(condition));
      deps_.bounce(std::move(item.stanza), condition);
    }
  }
  if (held > 0) {
    log_.info("xmpp.s2s.held_at_shutdown", {{"local", pair_.local}, {"stanzas", held}});
  }
}

}  // namespace

asio::awaitable<void> run_outbound_session(DomainPair pair, std::shared_ptr<Mailbox> mailbox,
                                           OutboundDeps& deps) {
  OutboundSession session(std::move(pair), std::move(mailbox), deps);
  co_await session.run();
}

}  // namespace fedgate::xmpp
