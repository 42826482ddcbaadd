// OutboundStream: the initiating entity of an s2s stream (RFC 6120 §4.3, §9.2) for one
// (local, remote) domain pair: sends the header, negotiates STARTTLS, authenticates with SASL
// EXTERNAL (XEP-0178) or dialback (XEP-0220, more local domains multiplexed later), enables
// XEP-0198, then writes stanzas and accounts for their acknowledgement. It also carries
// db:verify questions to the authoritative server. Owned by the s2s pool's stream coroutine,
// on its strand; sans-I/O.
#pragma once

#include <algorithm>
#include <deque>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "xmpp/stream/stream_core.hpp"
#include "xmpp/stream/stream_writer.hpp"

namespace fedgate::xmpp {

enum class OutboundState {
  idle,                // constructed; start() not called yet
  awaiting_header,     // our header sent (RFC 6120 §4.2)
  awaiting_features,   // the receiving entity's header arrived (§4.3.2)
  tls_requested,       // <starttls/> sent (§5.4.2.1)
  tls_handshake,       // <proceed/> received; the transport runs TLS (§5.4.3)
  sasl_requested,      // <auth mechanism='EXTERNAL'/> sent (§6.4.2)
  dialback_requested,  // <db:result/> sent for the primary pair (XEP-0220 §2.1.1)
  sm_requested,        // <enable/> sent (XEP-0198 §3)
  ready,               // stanzas flow
  verify_only,         // unauthenticated, carrying db:verify questions only (XEP-0220 §2.1.2)
  closed,
};

class OutboundStream {
 public:
  OutboundStream(std::shared_ptr<const StreamConfig> config, DomainPair pair, TimePoint now);

  // Writes our stream header. Direct TLS (XEP-0368): on_tls_established() first.
  StreamActions start(TimePoint now);
  StreamActions on_bytes(std::string_view bytes, TimePoint now);
  StreamActions on_tls_established(TlsFacts facts, TimePoint now);
  // Queues or writes a stanza; `tag` comes back in `delivered` (or via take_unacked()).
  // Its 'from' domain must be authenticated on this stream (else it waits for that).
  StreamActions send(Element stanza, std::uint64_t tag, TimePoint now);
  // The same, adding to `into` (a burst of stanzas is one write without a copy per stanza).
  void send(StreamActions& into, Element stanza, std::uint64_t tag, TimePoint now);
  // XEP-0220 §2.1: authenticate another local domain to the same remote domain.
  StreamActions authenticate(std::string local_domain, TimePoint now);
  // As receiving server: ask the authoritative server (our peer) about a key.
  StreamActions verify(DialbackVerify request, TimePoint now);
  // The XEP-0199 pong for `id` arrived (on whichever stream the transport saw it).
  StreamActions on_pong(std::string_view id, TimePoint now);
  StreamActions on_wake(TimePoint now);
  // The stream sits idle: give the parser's memory back (StreamParser::hibernate); false
  // when a stanza is partly read. Input after it works as before.
  bool release_memory() { return core_.parser().hibernate(); }
  StreamActions close(TimePoint now);
  StreamActions shutdown(TimePoint now);
  // Ends the stream with `condition` for reasons the transport knows: conflict (a newer
  // stream replaces this one), host-gone (domain removed), reset (credentials changed),
  // resource-constraint, remote-connection-failed... (RFC 6120 §4.9.3).
  StreamActions error(StreamErrc condition, std::string reason, TimePoint now);
  // RFC 6120 §4.9.3.19: send the peer to another node of the cluster.
  StreamActions redirect(std::string_view host, TimePoint now);
  // Everything not known delivered: written but unacknowledged first, then never written.
  std::deque<PendingStanza> take_unacked();

  OutboundState state() const { return state_; }
  bool is_ready() const { return state_ == OutboundState::ready; }
  bool sm_enabled() const { return core_.sm().outbound_enabled(); }
  const DomainPair& pair() const { return pair_; }
  const std::string& stream_id() const { return stream_id_; }
  std::size_t unacked() const { return core_.sm().unacked(); }
  std::size_t waiting() const { return waiting_.size(); }

 private:
  template <class F>
  StreamActions step(F&& body);
  template <class F>
  void step_into(StreamActions& a, F&& body);
  bool ready_for_timers() const;
  void on_event(StreamActions& a, StreamEvent& event, TimePoint now);
  void on_header(StreamActions& a, const StreamHeader& h, TimePoint now);
  void on_element(StreamActions& a, const Element& e, TimePoint now);
  void on_features(StreamActions& a, const Element& e, TimePoint now);
  bool negotiate_tls(StreamActions& a, TimePoint now);
  void start_authentication(StreamActions& a, TimePoint now);
  bool try_dialback(StreamActions& a, TimePoint now);
  void request_dialback(StreamActions& a, const std::string& local, TimePoint now);
  void on_sasl_result(StreamActions& a, const Element& e, TimePoint now);
  void on_db_result(StreamActions& a, const Element& e, TimePoint now);
  void on_db_verify(StreamActions& a, const Element& e, TimePoint now);
  void on_sm(StreamActions& a, const Element& e, TimePoint now);
  void after_authentication(StreamActions& a, TimePoint now);
  void become_ready(StreamActions& a, TimePoint now);
  void flush(StreamActions& a, TimePoint now);
  void write_out(StreamActions& a, PendingStanza p, TimePoint now);
  void check_ping(StreamActions& a, TimePoint now);

  StreamCore core_;
  DomainPair pair_;
  OutboundState state_ = OutboundState::idle;
  std::optional<PartnerProfile> profile_;
  std::string stream_id_;  // the receiving entity's id: dialback keys are bound to it
  bool peer_db_ns_ = false;
  FeatureSet offered_;
  bool primary_authenticated_ = false;
  bool sasl_failed_ = false;
  std::set<std::string, std::less<>> authenticated_;  // local domains authenticated to remote
  std::set<std::string> dialback_pending_;  // local domains with a db:result outstanding
  std::deque<PendingStanza> waiting_;       // not yet writable
  std::vector<DialbackVerify> verify_queued_;
  std::vector<DialbackVerify> verify_pending_;
  std::optional<std::string> ping_id_;
  std::optional<TimePoint> ping_sent_;
  std::uint64_t ping_seq_ = 0;
};

template <class F>
StreamActions OutboundStream::step(F&& body) {
  StreamActions a;
  step_into(a, std::forward<F>(body));
  return a;
}

template <class F>
void OutboundStream::step_into(StreamActions& a, F&& body) {
  if (!core_.closed()) {
    body(a);
  }
  if (core_.closed()) {
    state_ = OutboundState::closed;
  } else if (state_ != OutboundState::idle) {
    TimePoint next = core_.next_deadline(ready_for_timers());
    if (ping_sent_) {
      next = std::min(next, *ping_sent_ + core_.config().timeouts.ping_timeout);
    } else if (is_ready()) {
      next = std::min(next, core_.last_read() + core_.config().timeouts.ping_interval);
    }
    a.wake_at = next;
  }
}

}  // namespace fedgate::xmpp
