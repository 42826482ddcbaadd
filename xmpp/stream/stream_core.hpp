// StreamCore: the part every s2s stream state machine shares — the parser and its restarts,
// writing, stream errors and closing (RFC 6120 §4.4, §4.9), the XEP-0198 counters, and the
// keep-alive and idle timers (RFC 6120 §4.6). Owned by InboundStream / OutboundStream; runs on
// their strand; sans-I/O.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "xmpp/codec/stream_parser.hpp"
#include "xmpp/stream/stream_actions.hpp"
#include "xmpp/stream/stream_config.hpp"
#include "xmpp/stream/stream_management.hpp"

namespace fedgate::xmpp {

class StreamCore {
 public:
  StreamCore(std::shared_ptr<const StreamConfig> config, TimePoint now);

  const StreamConfig& config() const { return *config_; }
  StreamParser& parser() { return parser_; }
  StreamManagement& sm() { return sm_; }
  const StreamManagement& sm() const { return sm_; }
  bool closed() const { return closed_; }
  bool closing() const { return closing_since_.has_value(); }
  bool tls() const { return tls_; }
  const TlsFacts& tls_facts() const { return tls_facts_; }
  void set_tls(TlsFacts facts) {
    tls_ = true;
    tls_facts_ = std::move(facts);
  }

  // Our header: remembered so that a stream error can always follow one (RFC 6120 §4.9.1.2).
  void send_header(StreamActions& a, StreamHeader header, TimePoint now);
  bool header_sent() const { return header_sent_; }
  const StreamHeader& our_header() const { return our_header_; }
  // Restart after STARTTLS / SASL success (RFC 6120 §4.3.3): forget both headers.
  void restart_stream();

  void write(StreamActions& a, std::string_view bytes, TimePoint now);
  void write_stanza(StreamActions& a, const Element& stanza, TimePoint now);
  // Sends the stream error and closes (RFC 6120 §4.9.1.1). `app_element`: an optional
  // application-specific condition element (§4.9.4), already serialised.
  void fail(StreamActions& a, StreamErrc condition, std::string reason, TimePoint now,
            std::string_view app_element = {});
  // A certificate refusal (RFC 6120 §13.7.2, §4.9.3.18 policy-violation): fail() with the
  // certificate's facts against the `expected` domain as the close's log detail.
  void fail_certificate(StreamActions& a, std::string reason, std::string_view expected,
                        TimePoint now);
  // RFC 6120 §4.9.3.19: redirect the peer to `host` ("[2001:db8::1]:5269", "b.example").
  void redirect(StreamActions& a, std::string_view host, TimePoint now);
  // Sends </stream:stream> and closes at once (after a refusal that ends the stream but is
  // no stream error, e.g. RFC 6120 §5.4.2.2 STARTTLS failure).
  void terminate(StreamActions& a, std::string reason, TimePoint now);
  // Sends </stream:stream> and waits for the peer's (RFC 6120 §4.4).
  void close_gracefully(StreamActions& a, std::string reason, TimePoint now);
  // The peer closed (its </stream:stream> or a transport EOF): answer and close.
  void on_peer_closed(StreamActions& a, std::string reason, TimePoint now);
  // Handles <stream:error> and XEP-0198 <r/> for either side; true when consumed.
  bool handle_common(StreamActions& a, const Element& e, TimePoint now);

  void note_read(TimePoint now) { last_read_ = now; }
  void note_stanza(TimePoint now) { last_stanza_ = now; }
  TimePoint last_read() const { return last_read_; }
  // Handshake, close, whitespace and idle timers; `ready` once a pair is authenticated.
  void check_timers(StreamActions& a, bool ready, TimePoint now);
  // Earliest timer for the same set; callers fold in their own.
  TimePoint next_deadline(bool ready) const;

 private:
  std::shared_ptr<const StreamConfig> config_;
  StreamParser parser_;
  StreamManagement sm_;
  StreamHeader our_header_;
  bool header_sent_ = false;
  bool tls_ = false;
  TlsFacts tls_facts_;
  bool closed_ = false;
  std::optional<TimePoint> closing_since_;
  std::string close_reason_;
  TimePoint started_;
  TimePoint last_read_;
  TimePoint last_write_;
  TimePoint last_stanza_;
};

}  // namespace fedgate::xmpp
