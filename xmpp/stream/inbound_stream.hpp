// InboundStream: the receiving entity of an s2s stream (RFC 6120 §4.3, §9.2). It answers the
// initiating server's header, offers STARTTLS / SASL EXTERNAL (only for a validated peer
// certificate, XEP-0178) / dialback (XEP-0220) / XEP-0198, authenticates domain pairs (several
// per stream), answers db:verify for our domains, and passes on stanzas whose from/to pair is
// authenticated. Owned by one listener session coroutine, on its strand; sans-I/O.
#pragma once

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "xmpp/stream/stream_core.hpp"

namespace fedgate::xmpp {

enum class InboundState {
  awaiting_header,  // RFC 6120 §4.2: waiting for the initiating entity's stream header
  negotiating,      // our header and features sent; negotiation and stanzas proceed
  tls_handshake,    // <proceed/> sent; the transport runs TLS (RFC 6120 §5.4.3)
  closed,
};

class InboundStream {
 public:
  InboundStream(std::shared_ptr<const StreamConfig> config, TimePoint now);

  // Bytes read from the peer (plaintext, or decrypted once TLS is up).
  StreamActions on_bytes(std::string_view bytes, TimePoint now);
  // The TLS handshake finished. Direct TLS (XEP-0368): call before the first bytes.
  StreamActions on_tls_established(TlsFacts facts, TimePoint now);
  // The authoritative server's answer to a DialbackVerify this stream asked for.
  StreamActions on_dialback_verdict(const DialbackVerify& request, DialbackOutcome outcome,
                                    TimePoint now);
  StreamActions on_wake(TimePoint now);
  // The stream sits idle: give the parser's memory back (StreamParser::hibernate); false
  // when a stanza is partly read. Input after it works as before.
  bool release_memory() { return core_.parser().hibernate(); }
  // Graceful close (RFC 6120 §4.4), or <system-shutdown/> when the node stops.
  StreamActions close(TimePoint now);
  StreamActions shutdown(TimePoint now);
  // Ends the stream with `condition` for reasons the transport knows: conflict (a newer
  // stream replaces this one), host-gone (domain removed), reset (credentials changed),
  // resource-constraint, remote-connection-failed... (RFC 6120 §4.9.3).
  StreamActions error(StreamErrc condition, std::string reason, TimePoint now);
  // RFC 6120 §4.9.3.19: send the peer to another node of the cluster.
  StreamActions redirect(std::string_view host, TimePoint now);

  InboundState state() const { return state_; }
  const std::string& stream_id() const { return stream_id_; }
  const std::string& peer_domain() const { return peer_domain_; }
  bool is_authenticated(const DomainPair& pair) const { return authenticated_.count(pair) > 0; }
  bool sm_enabled() const { return core_.sm().inbound_enabled(); }

 private:
  // Runs `body` unless the stream is closed, then sets the state and the next wake-up.
  template <class F>
  StreamActions step(F&& body) {
    StreamActions a;
    if (!core_.closed()) {
      body(a);
    }
    if (core_.closed()) {
      state_ = InboundState::closed;
    } else {
      a.wake_at = core_.next_deadline(!authenticated_.empty());
    }
    return a;
  }
  void on_event(StreamActions& a, StreamEvent& event, TimePoint now);
  void on_header(StreamActions& a, const StreamHeader& h, TimePoint now);
  void send_features(StreamActions& a, TimePoint now);
  void on_element(StreamActions& a, Element& e, TimePoint now);
  bool tls_gate(StreamActions& a, TimePoint now);
  void note_left_without_tls(StreamActions& a);
  void on_starttls(StreamActions& a, TimePoint now);
  void on_auth(StreamActions& a, const Element& e, TimePoint now);
  void sasl_fail(StreamActions& a, std::string_view condition, TimePoint now);
  void on_db_result(StreamActions& a, const Element& e, TimePoint now);
  bool dialback_refused(StreamActions& a, const DomainPair& pair, TimePoint now);
  void on_db_verify(StreamActions& a, const Element& e, TimePoint now);
  void on_sm_enable(StreamActions& a, TimePoint now);
  void on_stanza(StreamActions& a, Element& e, TimePoint now);
  void authenticate(StreamActions& a, DomainPair pair, AuthMethod method);

  StreamCore core_;
  InboundState state_ = InboundState::awaiting_header;
  std::string stream_id_;
  std::string local_domain_;  // the header's 'to', normalised
  std::string peer_domain_;   // the header's 'from', normalised (may be empty)
  std::optional<PartnerProfile> profile_;
  std::set<DomainPair> authenticated_;
  std::set<DomainPair> pending_;  // dialback keys out for verification
  bool offered_external_ = false;
  bool sasl_done_ = false;
  int sasl_failures_ = 0;
};

}  // namespace fedgate::xmpp
