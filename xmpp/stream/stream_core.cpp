#include "xmpp/stream/stream_core.hpp"

#include <algorithm>

#include "xmpp/codec/namespaces.hpp"
#include "xmpp/stream/cert_names.hpp"
#include "xmpp/stream/stream_writer.hpp"

namespace fedgate::xmpp {

StreamCore::StreamCore(std::shared_ptr<const StreamConfig> config, TimePoint now)
    : config_(std::move(config)),
      parser_(config_->limits),
      started_(now),
      last_read_(now),
      last_write_(now),
      last_stanza_(now) {}

void StreamCore::send_header(StreamActions& a, StreamHeader header, TimePoint now) {
  our_header_ = std::move(header);
  header_sent_ = true;
  write(a, serialize_header(our_header_), now);
}

void StreamCore::restart_stream() {
  parser_.restart();
  header_sent_ = false;
}

void StreamCore::write(StreamActions& a, std::string_view bytes, TimePoint now) {
  a.write.append(bytes);
  last_write_ = now;
}

void StreamCore::write_stanza(StreamActions& a, const Element& stanza, TimePoint now) {
  const SerializeContext ctx{kNsServer, true, our_header_.dialback_ns};
  serialize(stanza, a.write, ctx);
  last_write_ = now;
  last_stanza_ = now;
}

void StreamCore::fail(StreamActions& a, StreamErrc condition, std::string reason, TimePoint now,
                      std::string_view app_element) {
  if (closed_) {
    return;
  }
  if (!header_sent_) {
    // RFC 6120 §4.9.1.2/§4.9.1.3: a stream error always follows a stream header.
    StreamHeader h;
    h.content_ns = std::string(kNsServer);
    h.version = "1.0";
    send_header(a, std::move(h), now);
  }
  write(a, stream_error_bytes(condition, app_element), now);
  closed_ = true;
  a.close = StreamClose{condition, std::move(reason)};
}

void StreamCore::fail_certificate(StreamActions& a, std::string reason, std::string_view expected,
                                  TimePoint now) {
  const bool pin = reason == "pin_mismatch";
  fail(a, StreamErrc::policy_violation, std::move(reason), now);
  if (a.close) {
    a.close->detail = certificate_detail(tls_facts_, expected, pin);
  }
}

void StreamCore::redirect(StreamActions& a, std::string_view host, TimePoint now) {
  if (closed_) {
    return;
  }
  if (!header_sent_) {
    StreamHeader h;
    h.content_ns = std::string(kNsServer);
    h.version = "1.0";
    send_header(a, std::move(h), now);
  }
  write(a, see_other_host_bytes(host), now);
  closed_ = true;
  a.close = StreamClose{StreamErrc::see_other_host, "redirect"};
}

void StreamCore::terminate(StreamActions& a, std::string reason, TimePoint now) {
  if (closed_) {
    return;
  }
  if (header_sent_) {
    write(a, kStreamClose, now);
  }
  closed_ = true;
  a.close = StreamClose{std::nullopt, std::move(reason)};
}

void StreamCore::close_gracefully(StreamActions& a, std::string reason, TimePoint now) {
  if (closed_ || closing_since_) {
    return;
  }
  if (!header_sent_) {  // nothing to close politely: just drop the transport
    closed_ = true;
    a.close = StreamClose{std::nullopt, std::move(reason)};
    return;
  }
  write(a, kStreamClose, now);
  closing_since_ = now;
  close_reason_ = std::move(reason);
}

void StreamCore::on_peer_closed(StreamActions& a, std::string reason, TimePoint now) {
  if (closed_) {
    return;
  }
  if (!closing_since_ && header_sent_) {
    write(a, kStreamClose, now);  // RFC 6120 §4.4: answer the close
  }
  closed_ = true;
  a.close = StreamClose{std::nullopt, closing_since_ ? close_reason_ : std::move(reason)};
}

bool StreamCore::handle_common(StreamActions& a, const Element& e, TimePoint now) {
  if (e.ns == kNsStreams && e.name == "error") {
    // RFC 6120 §4.9.1.1: the peer's stream error ends the stream; we answer the close.
    std::string condition = "undefined-condition";
    for (const auto& c : e.children) {
      if (!c.is_text() && c.ns == kNsStreamErrors && c.name != "text") {
        condition = c.name;
        break;
      }
    }
    std::replace(condition.begin(), condition.end(), '-', '_');
    on_peer_closed(a, "peer_error_" + condition, now);
    return true;
  }
  if (e.ns == kNsSm && e.name == "r") {
    if (sm_.inbound_enabled()) {  // XEP-0198 §4
      write(a, sm_answer(sm_.handled()), now);
    }
    return true;
  }
  return false;
}

void StreamCore::check_timers(StreamActions& a, bool ready, TimePoint now) {
  const auto& t = config_->timeouts;
  if (closed_) {
    return;
  }
  if (closing_since_) {
    if (now - *closing_since_ >= t.close_timeout) {
      closed_ = true;
      a.close = StreamClose{std::nullopt, close_reason_};
    }
    return;
  }
  if (!ready && now - started_ >= t.handshake) {
    fail(a, StreamErrc::connection_timeout, "handshake_timeout", now);
    return;
  }
  if (ready && now - last_stanza_ >= t.idle) {
    close_gracefully(a, "idle", now);
    return;
  }
  if (header_sent_ && now - last_write_ >= t.whitespace) {
    write(a, " ", now);  // RFC 6120 §4.6.1 whitespace keep-alive
  }
}

TimePoint StreamCore::next_deadline(bool ready) const {
  const auto& t = config_->timeouts;
  if (closing_since_) {
    return *closing_since_ + t.close_timeout;
  }
  TimePoint next = last_write_ + t.whitespace;
  next = std::min(next, ready ? last_stanza_ + t.idle : started_ + t.handshake);
  return next;
}

}  // namespace fedgate::xmpp
