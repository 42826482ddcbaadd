// InboundStream: header, features, STARTTLS, XEP-0198 and stanza checks. SASL EXTERNAL and
// dialback live in inbound_dialback.cpp.
#include "xmpp/stream/inbound_stream.hpp"

#include "xmpp/codec/jid.hpp"
#include "xmpp/codec/namespaces.hpp"
#include "xmpp/codec/stanza.hpp"
#include "xmpp/stream/stream_policy.hpp"
#include "xmpp/stream/stream_writer.hpp"

namespace fedgate::xmpp {
namespace {

// RFC 6120 §4.7.5: major version 1 (any minor) is ours.
bool version_supported(std::string_view v) {
  return v.size() >= 3 && v.substr(0, 2) == "1." &&
         v.find_first_not_of("0123456789", 2) == std::string_view::npos;
}

}  // namespace

InboundStream::InboundStream(std::shared_ptr<const StreamConfig> config, TimePoint now)
    : core_(std::move(config), now) {}

StreamActions InboundStream::on_bytes(std::string_view bytes, TimePoint now) {
  return step([&](StreamActions& a) {
    core_.note_read(now);
    core_.parser().feed(bytes);
    while (!core_.closed() && state_ != InboundState::tls_handshake) {
      auto event = core_.parser().next();
      if (!event) {
        break;
      }
      on_event(a, *event, now);
    }
    note_left_without_tls(a);
  });
}

// RFC 6120 §5.3.1, §5.4.2.1: we required TLS and the peer went away without starting it (its
// <unsupported-feature/>, or a plain close). That is our refusal, and is reported as one.
void InboundStream::note_left_without_tls(StreamActions& a) {
  if (!a.close || a.close->error || core_.tls() || !authenticated_.empty() ||
      peer_domain_.empty() || state_ == InboundState::tls_handshake ||
      !tls_required_for(core_.config(), profile_)) {
    return;
  }
  a.refused.push_back(
      {DomainPair{local_domain_, peer_domain_}, "tls_required",
       "the peer closed the stream without starting TLS (" + a.close->reason + ")"});
}

void InboundStream::on_event(StreamActions& a, StreamEvent& event, TimePoint now) {
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

void InboundStream::on_header(StreamActions& a, const StreamHeader& h, TimePoint now) {
  const StreamConfig& c = core_.config();
  if (h.content_ns != kNsServer) {  // RFC 6120 §4.9.3.10
    return core_.fail(a, StreamErrc::invalid_namespace, "content_namespace", now);
  }
  auto to = normalize_domain(h.to);
  auto from = h.from.empty() ? result<std::string>(std::string()) : normalize_domain(h.from);
  stream_id_ = c.new_stream_id ? c.new_stream_id() : std::string("0");
  StreamHeader ours{to ? *to : std::string(), from ? *from : std::string(), stream_id_, "1.0", {},
                    std::string(kNsServer),   c.security.dialback_allowed};
  core_.send_header(a, ours, now);
  if (!version_supported(h.version)) {  // RFC 6120 §4.7.5
    return core_.fail(a, StreamErrc::unsupported_version, "version", now);
  }
  if (!to || !serves(c, *to)) {  // RFC 6120 §4.9.3.6
    return core_.fail(a, StreamErrc::host_unknown, "unknown_to", now);
  }
  if (!from) {  // RFC 6120 §4.9.3.9
    return core_.fail(a, StreamErrc::invalid_from, "header_from", now);
  }
  local_domain_ = *to;
  peer_domain_ = *from;
  profile_ = profile_for(c, peer_domain_);
  if (core_.tls() && !peer_domain_.empty() && certificate_required_for(c, profile_)) {
    auto refusal = certificate_refusal(core_.tls_facts(), profile_, peer_domain_);
    if (!refusal.empty()) {  // the header after TLS names a domain the certificate does not
      return core_.fail_certificate(a, std::move(refusal), peer_domain_, now);
    }
  }
  state_ = InboundState::negotiating;
  send_features(a, now);
}

void InboundStream::send_features(StreamActions& a, TimePoint now) {
  const StreamConfig& c = core_.config();
  const bool tls_required = tls_required_for(c, profile_);
  const bool can_tls = c.security.tls_mode != TlsMode::no_tls && c.tls_available;
  FeatureSet f;
  f.starttls = !core_.tls() && can_tls;
  f.starttls_required = f.starttls && tls_required;
  const bool may_authenticate = core_.tls() || !tls_required;
  if (!may_authenticate && !f.starttls) {
    return core_.fail(a, StreamErrc::policy_violation, "tls_required_unavailable", now);
  }
  // XEP-0178 §3: EXTERNAL only when the certificate authenticates the header's 'from'.
  f.sasl_external = may_authenticate && core_.tls() && c.security.sasl_external_inbound &&
                    !sasl_done_ &&
                    certificate_authenticates(core_.tls_facts(), profile_, peer_domain_);
  f.dialback = may_authenticate && dialback_permitted(c, profile_);
  f.sm = may_authenticate && c.stream_management && !core_.sm().inbound_enabled();
  offered_external_ = f.sasl_external;
  core_.write(a, features_bytes(f), now);
}

void InboundStream::on_element(StreamActions& a, Element& e, TimePoint now) {
  if (core_.handle_common(a, e, now)) {
    return;
  }
  if (e.ns == kNsTls && e.name == "starttls") {
    return on_starttls(a, now);
  }
  if (e.ns == kNsSasl && e.name == "auth") {
    return on_auth(a, e, now);
  }
  if (e.ns == kNsDialback && (e.name == "result" || e.name == "verify")) {
    return e.name == "result" ? on_db_result(a, e, now) : on_db_verify(a, e, now);
  }
  if (e.ns == kNsSm && e.name == "enable") {
    return on_sm_enable(a, now);
  }
  if (e.ns == kNsSm && e.name == "a") {
    return;  // nothing is sent on an inbound stream, so nothing to acknowledge
  }
  if (is_stanza(e)) {
    return on_stanza(a, e, now);
  }
  core_.fail(a, StreamErrc::unsupported_stanza_type, "unknown_element", now);  // §4.9.3.24
}

// RFC 6120 §5.3.1: with TLS mandatory, nothing but STARTTLS before TLS.
bool InboundStream::tls_gate(StreamActions& a, TimePoint now) {
  if (!core_.tls() && tls_required_for(core_.config(), profile_)) {
    core_.fail(a, StreamErrc::policy_violation, "tls_required", now);
    return false;
  }
  return true;
}

void InboundStream::on_starttls(StreamActions& a, TimePoint now) {
  const StreamConfig& c = core_.config();
  if (core_.tls() || c.security.tls_mode == TlsMode::no_tls || !c.tls_available) {
    core_.write(a, kTlsFailure, now);  // RFC 6120 §5.4.2.2
    return core_.terminate(a, "starttls_refused", now);
  }
  core_.write(a, kProceed, now);  // RFC 6120 §5.4.2.3
  a.start_tls = true;
  state_ = InboundState::tls_handshake;
  core_.restart_stream();  // §5.4.3.3: nothing read before TLS survives
}

StreamActions InboundStream::on_tls_established(TlsFacts facts, TimePoint now) {
  return step([&](StreamActions& a) {
    const bool direct = state_ == InboundState::awaiting_header && !core_.tls();
    if (!direct && state_ != InboundState::tls_handshake) {
      return core_.fail(a, StreamErrc::internal_server_error, "unexpected_tls", now);
    }
    core_.set_tls(std::move(facts));
    state_ = InboundState::awaiting_header;
    if (!pin_ok(profile_, core_.tls_facts())) {
      return core_.fail_certificate(a, "pin_mismatch", peer_domain_, now);
    }
    if (!certificate_required_for(core_.config(), profile_)) {
      return;  // dialback may authenticate the peer instead (XEP-0220 over TLS)
    }
    // RFC 6120 §13.7.2: chain first; the name once the peer has named itself (the header
    // before STARTTLS, or the one after it: on_header checks that one).
    auto refusal = certificate_refusal(core_.tls_facts(), profile_, peer_domain_);
    if (!refusal.empty() && (refusal != "cert_name_mismatch" || !peer_domain_.empty())) {
      return core_.fail_certificate(a, std::move(refusal), peer_domain_, now);
    }
  });
}

void InboundStream::on_sm_enable(StreamActions& a, TimePoint now) {
  if (!tls_gate(a, now)) {
    return;
  }
  if (!core_.config().stream_management) {  // XEP-0198 §3
    return core_.write(a, sm_failed(StanzaErrc::feature_not_implemented), now);
  }
  if (authenticated_.empty() || core_.sm().inbound_enabled()) {
    return core_.write(a, sm_failed(StanzaErrc::unexpected_request), now);
  }
  core_.sm().enable_inbound();
  core_.write(a, kSmEnabled, now);
}

void InboundStream::on_stanza(StreamActions& a, Element& e, TimePoint now) {
  if (authenticated_.empty()) {  // RFC 6120 §4.9.3.12
    return core_.fail(a, StreamErrc::not_authorized, "stanza_before_auth", now);
  }
  const auto to_attr = e.attribute("to");
  const auto from_attr = e.attribute("from");
  if (!to_attr || !from_attr) {  // RFC 6120 §8.1.1.1, §8.1.2.1: both required on s2s
    return core_.fail(a, StreamErrc::improper_addressing, "missing_address", now);
  }
  auto to = Jid::parse(*to_attr);
  if (!to) {
    return core_.fail(a, StreamErrc::improper_addressing, "bad_to", now);
  }
  auto from = Jid::parse(*from_attr);
  if (!from) {
    return core_.fail(a, StreamErrc::invalid_from, "bad_from", now);
  }
  if (!serves(core_.config(), to->domain_part())) {  // RFC 6120 §4.9.3.6
    return core_.fail(a, StreamErrc::host_unknown, "unknown_to", now);
  }
  const DomainPair pair{std::string(to->domain_part()), std::string(from->domain_part())};
  if (authenticated_.count(pair) == 0) {  // RFC 6120 §4.9.3.9
    return core_.fail(a, StreamErrc::invalid_from, "unauthenticated_from", now);
  }
  core_.sm().count_handled();
  core_.note_stanza(now);
  a.stanzas.push_back(std::move(e));
}

void InboundStream::authenticate(StreamActions& a, DomainPair pair, AuthMethod method) {
  pending_.erase(pair);
  if (authenticated_.insert(pair).second) {
    a.authenticated.push_back({std::move(pair), method});
  }
}

StreamActions InboundStream::on_wake(TimePoint now) {
  return step([&](StreamActions& a) { core_.check_timers(a, !authenticated_.empty(), now); });
}

StreamActions InboundStream::close(TimePoint now) {
  return step([&](StreamActions& a) { core_.close_gracefully(a, "local_close", now); });
}

StreamActions InboundStream::error(StreamErrc condition, std::string reason, TimePoint now) {
  return step([&](StreamActions& a) { core_.fail(a, condition, std::move(reason), now); });
}

StreamActions InboundStream::redirect(std::string_view host, TimePoint now) {
  return step([&](StreamActions& a) { core_.redirect(a, host, now); });
}

StreamActions InboundStream::shutdown(TimePoint now) {
  return step([&](StreamActions& a) {
    core_.fail(a, StreamErrc::system_shutdown, "shutdown", now);  // RFC 6120 §4.9.3.20
  });
}

}  // namespace fedgate::xmpp
