// OutboundStream: header, features, STARTTLS, sending with XEP-0198 accounting, pings and
// timers. SASL EXTERNAL and dialback live in outbound_auth.cpp.
#include "xmpp/stream/outbound_stream.hpp"

#include <charconv>
#include <iterator>
#include <vector>

#include "xmpp/codec/jid.hpp"
#include "xmpp/codec/namespaces.hpp"
#include "xmpp/codec/stanza.hpp"
#include "xmpp/stream/stream_policy.hpp"

namespace fedgate::xmpp {
namespace {

FeatureSet parse_features(const Element& e) {
  FeatureSet f;
  if (const Element* tls = e.child("starttls", kNsTls)) {
    f.starttls = true;
    f.starttls_required = tls->child("required", kNsTls) != nullptr;
  }
  if (const Element* mechs = e.child("mechanisms", kNsSasl)) {
    for (const auto& m : mechs->children) {
      f.sasl_external |= !m.is_text() && m.name == "mechanism" && m.text_content() == "EXTERNAL";
    }
  }
  f.dialback = e.child("dialback", kNsDialbackFeature) != nullptr;
  f.sm = e.child("sm", kNsSm) != nullptr;
  return f;
}

}  // namespace

OutboundStream::OutboundStream(std::shared_ptr<const StreamConfig> config, DomainPair pair,
                               TimePoint now)
    : core_(std::move(config), now), pair_(std::move(pair)) {
  profile_ = profile_for(core_.config(), pair_.remote);
}

bool OutboundStream::ready_for_timers() const {
  return state_ == OutboundState::ready || state_ == OutboundState::verify_only;
}

StreamActions OutboundStream::start(TimePoint now) {
  return step([&](StreamActions& a) {
    StreamHeader h{pair_.local,
                   pair_.remote,
                   {},
                   "1.0",
                   {},
                   std::string(kNsServer),
                   dialback_permitted(core_.config(), profile_)};
    core_.send_header(a, std::move(h), now);
    state_ = OutboundState::awaiting_header;
  });
}

StreamActions OutboundStream::on_bytes(std::string_view bytes, TimePoint now) {
  return step([&](StreamActions& a) {
    core_.note_read(now);
    if (ping_sent_ && !ping_id_) {
      ping_sent_.reset();  // an XEP-0198 <r/> ping: any traffic proves the peer alive
    }
    core_.parser().feed(bytes);
    while (!core_.closed() && state_ != OutboundState::tls_handshake) {
      auto event = core_.parser().next();
      if (!event) {
        break;
      }
      on_event(a, *event, now);
    }
  });
}

void OutboundStream::on_event(StreamActions& a, StreamEvent& event, TimePoint now) {
  if (auto* h = std::get_if<StreamHeader>(&event)) {
    on_header(a, *h, now);
  } else if (auto* e = std::get_if<Element>(&event)) {
    on_element(a, *e, now);
  } else if (std::holds_alternative<StreamClosed>(event)) {
    core_.on_peer_closed(a, "peer_closed", now);
  } else {
    const auto& f = std::get<StreamFailure>(event);
    core_.fail(a, f.condition, "parse_" + f.reason, now);
  }
}

void OutboundStream::on_header(StreamActions& a, const StreamHeader& h, TimePoint now) {
  if (h.content_ns != kNsServer) {  // RFC 6120 §4.9.3.10
    return core_.fail(a, StreamErrc::invalid_namespace, "content_namespace", now);
  }
  if (h.version.size() < 3 || h.version.substr(0, 2) != "1.") {  // RFC 6120 §4.7.5
    return core_.fail(a, StreamErrc::unsupported_version, "version", now);
  }
  if (h.id.empty()) {  // RFC 6120 §4.7.3: the receiving entity MUST set an id
    return core_.fail(a, StreamErrc::bad_format, "no_stream_id", now);
  }
  stream_id_ = h.id;
  peer_db_ns_ = h.dialback_ns;
  state_ = OutboundState::awaiting_features;
}

void OutboundStream::on_element(StreamActions& a, const Element& e, TimePoint now) {
  if (core_.handle_common(a, e, now)) {
    return;
  }
  if (e.ns == kNsStreams && e.name == "features" && state_ == OutboundState::awaiting_features) {
    return on_features(a, e, now);
  }
  if (e.ns == kNsTls && state_ == OutboundState::tls_requested) {
    if (e.name != "proceed") {  // RFC 6120 §5.4.2.2: <failure/>, the peer closes
      return core_.terminate(a, "starttls_failed", now);
    }
    a.start_tls = true;  // RFC 6120 §5.4.2.3
    state_ = OutboundState::tls_handshake;
    return core_.restart_stream();
  }
  if (e.ns == kNsSasl && state_ == OutboundState::sasl_requested) {
    return on_sasl_result(a, e, now);
  }
  if (e.ns == kNsDialback && e.name == "result") {
    return on_db_result(a, e, now);
  }
  if (e.ns == kNsDialback && e.name == "verify") {
    return on_db_verify(a, e, now);
  }
  if (e.ns == kNsSm) {
    return on_sm(a, e, now);
  }
  // Stanzas never travel towards the initiating entity without XEP-0288.
  core_.fail(a, StreamErrc::unsupported_stanza_type, "unexpected_element", now);
}

void OutboundStream::on_features(StreamActions& a, const Element& e, TimePoint now) {
  offered_ = parse_features(e);
  if (primary_authenticated_) {  // features after the SASL restart (RFC 6120 §6.4.6)
    return after_authentication(a, now);
  }
  if (!negotiate_tls(a, now)) {
    return;
  }
  start_authentication(a, now);
}

// RFC 6120 §5.3.1, §5.4.2.1. True when negotiation continues on this stream without TLS
// (or TLS is already up).
bool OutboundStream::negotiate_tls(StreamActions& a, TimePoint now) {
  if (core_.tls()) {
    return true;
  }
  const StreamConfig& c = core_.config();
  if (offered_.starttls && c.security.tls_mode != TlsMode::no_tls && c.tls_available) {
    core_.write(a, kStartTls, now);
    state_ = OutboundState::tls_requested;
    return false;
  }
  if (offered_.starttls_required) {
    core_.terminate(a, "peer_requires_tls", now);
    return false;
  }
  if (tls_required_for(c, profile_)) {
    core_.fail(a, StreamErrc::policy_violation, "tls_not_offered", now);
    return false;
  }
  return true;
}

StreamActions OutboundStream::on_tls_established(TlsFacts facts, TimePoint now) {
  return step([&](StreamActions& a) {
    const bool direct = state_ == OutboundState::idle && !core_.tls();
    if (!direct && state_ != OutboundState::tls_handshake) {
      return core_.fail(a, StreamErrc::internal_server_error, "unexpected_tls", now);
    }
    core_.set_tls(std::move(facts));
    const TlsFacts& f = core_.tls_facts();
    if (!pin_ok(profile_, f)) {
      return core_.fail_certificate(a, "pin_mismatch", pair_.remote, now);
    }
    // RFC 6120 §13.7.2.1, RFC 6125 §6: the receiving server's certificate must cover the
    // domain we dialled; no dialback afterwards can make up for it.
    if (certificate_required_for(core_.config(), profile_)) {
      auto refusal = certificate_refusal(f, profile_, pair_.remote);
      if (!refusal.empty()) {
        return core_.fail_certificate(a, std::move(refusal), pair_.remote, now);
      }
    }
    if (!direct) {
      state_ = OutboundState::idle;
      StreamHeader h = core_.our_header();
      core_.send_header(a, std::move(h), now);  // RFC 6120 §5.4.3.3: new stream over TLS
      state_ = OutboundState::awaiting_header;
    }
  });
}

StreamActions OutboundStream::send(Element stanza, std::uint64_t tag, TimePoint now) {
  StreamActions a;
  send(a, std::move(stanza), tag, now);
  return a;
}

void OutboundStream::send(StreamActions& into, Element stanza, std::uint64_t tag, TimePoint now) {
  step_into(into, [&](StreamActions& a) {
    if (stanza.ns == kNsClient) {
      stanza.ns = std::string(kNsServer);
    }
    waiting_.push_back(PendingStanza{std::move(stanza), tag});
    if (is_ready()) {
      flush(a, now);
    }
  });
}

// Writes queued db:verify questions and, once ready, every waiting stanza whose 'from'
// domain is authenticated, in order.
void OutboundStream::flush(StreamActions& a, TimePoint now) {
  std::vector<PendingStanza> keep;  // empty (no allocation) while every 'from' is authenticated
  while (is_ready() && !waiting_.empty()) {
    PendingStanza p = std::move(waiting_.front());
    waiting_.pop_front();
    auto from = Jid::parse(p.stanza.attr("from"));
    if (from && authenticated_.contains(from->domain_part())) {
      write_out(a, std::move(p), now);
    } else {
      keep.push_back(std::move(p));
    }
  }
  waiting_.insert(waiting_.begin(), std::make_move_iterator(keep.begin()),
                  std::make_move_iterator(keep.end()));
  for (auto& v : verify_queued_) {
    core_.write(a, db_verify_request(v.receiving, v.originating, v.stream_id, v.key), now);
    verify_pending_.push_back(std::move(v));
  }
  verify_queued_.clear();
}

void OutboundStream::write_out(StreamActions& a, PendingStanza p, TimePoint now) {
  core_.write_stanza(a, p.stanza, now);
  if (!core_.sm().outbound_enabled()) {
    a.delivered.push_back(p.tag);  // DESIGN.md: no XEP-0198, written counts as delivered
    return;
  }
  core_.sm().sent(std::move(p));
  const auto every = std::max<std::uint32_t>(1, core_.config().sm_request_every);
  if (core_.sm().unacked() % every == 0) {
    core_.write(a, kSmRequest, now);  // XEP-0198 §4
  }
}

void OutboundStream::on_sm(StreamActions& a, const Element& e, TimePoint now) {
  if (e.name == "enabled" && state_ == OutboundState::sm_requested) {
    core_.sm().enable_outbound();
    return become_ready(a, now);
  }
  if (e.name == "failed" && state_ == OutboundState::sm_requested) {
    return become_ready(a, now);  // XEP-0198 §3: carry on without it
  }
  if (e.name == "a" && core_.sm().outbound_enabled()) {
    const std::string_view text = e.attr("h");
    std::uint32_t h = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), h);
    if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
      return core_.fail(a, StreamErrc::bad_format, "sm_bad_h", now);
    }
    auto acked = core_.sm().acknowledge(h);
    if (!acked) {  // XEP-0198 §4
      return core_.fail(a, StreamErrc::undefined_condition, "sm_handled_count_too_high", now,
                        sm_handled_too_high(h, core_.sm().sent_count()));
    }
    a.delivered.insert(a.delivered.end(), acked->begin(), acked->end());
    return;
  }
  if (e.name == "r") {  // we receive no stanzas here: h is 0
    return core_.write(a, sm_answer(0), now);
  }
}

StreamActions OutboundStream::on_pong(std::string_view id, TimePoint now) {
  return step([&](StreamActions&) {
    if (ping_id_ && *ping_id_ == id) {
      ping_id_.reset();
      ping_sent_.reset();
      core_.note_read(now);
    }
  });
}

void OutboundStream::check_ping(StreamActions& a, TimePoint now) {
  const auto& t = core_.config().timeouts;
  if (ping_sent_) {
    if (now - *ping_sent_ >= t.ping_timeout) {
      core_.fail(a, StreamErrc::connection_timeout, "ping_timeout", now);  // §4.9.3.4
    }
    return;
  }
  if (!is_ready() || now - core_.last_read() < t.ping_interval) {
    return;
  }
  ping_sent_ = now;
  if (core_.sm().outbound_enabled()) {
    core_.write(a, kSmRequest, now);  // the <a/> comes back on this very stream
    return;
  }
  ping_id_ = "ping-" + std::to_string(++ping_seq_);  // XEP-0199 §4.2
  core_.write(a, ping(pair_.local, pair_.remote, *ping_id_), now);
  a.ping_id = ping_id_;
}

StreamActions OutboundStream::on_wake(TimePoint now) {
  return step([&](StreamActions& a) {
    check_ping(a, now);
    core_.check_timers(a, ready_for_timers(), now);
  });
}

StreamActions OutboundStream::close(TimePoint now) {
  return step([&](StreamActions& a) { core_.close_gracefully(a, "local_close", now); });
}

StreamActions OutboundStream::error(StreamErrc condition, std::string reason, TimePoint now) {
  return step([&](StreamActions& a) { core_.fail(a, condition, std::move(reason), now); });
}

StreamActions OutboundStream::redirect(std::string_view host, TimePoint now) {
  return step([&](StreamActions& a) { core_.redirect(a, host, now); });
}

StreamActions OutboundStream::shutdown(TimePoint now) {
  return step([&](StreamActions& a) {
    core_.fail(a, StreamErrc::system_shutdown, "shutdown", now);  // RFC 6120 §4.9.3.20
  });
}

std::deque<PendingStanza> OutboundStream::take_unacked() {
  std::deque<PendingStanza> out = core_.sm().take_unacked();
  for (auto& p : waiting_) {
    out.push_back(std::move(p));
  }
  waiting_.clear();
  return out;
}

}  // namespace fedgate::xmpp
