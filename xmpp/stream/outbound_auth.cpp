// OutboundStream: authentication — SASL EXTERNAL (RFC 6120 §6.4, XEP-0178 §3), dialback as
// initiating server (XEP-0220 §2.1.1) incl. multiplexed local domains, db:verify questions as
// receiving server (§2.1.2), then XEP-0198 negotiation (§3).
#include "xmpp/codec/jid.hpp"
#include "xmpp/codec/namespaces.hpp"
#include "xmpp/stream/dialback_key.hpp"
#include "xmpp/stream/outbound_stream.hpp"
#include "xmpp/stream/stream_policy.hpp"

namespace fedgate::xmpp {

void OutboundStream::start_authentication(StreamActions& a, TimePoint now) {
  const StreamConfig& c = core_.config();
  if (core_.tls() && offered_.sasl_external && c.security.sasl_external_outbound && !sasl_failed_) {
    core_.write(a, sasl_auth_external(pair_.local), now);  // XEP-0178 §3 authzid = our domain
    state_ = OutboundState::sasl_requested;
    return;
  }
  if (try_dialback(a, now)) {
    return;
  }
  if (!verify_queued_.empty() || !verify_pending_.empty()) {
    state_ = OutboundState::verify_only;  // still useful: carry the db:verify questions
    return flush(a, now);
  }
  a.refused.push_back({pair_, sasl_failed_ ? "sasl_failed" : "no_usable_authentication"});
  core_.terminate(a, sasl_failed_ ? "sasl_failed" : "no_usable_authentication", now);
}

bool OutboundStream::try_dialback(StreamActions& a, TimePoint now) {
  if (!dialback_permitted(core_.config(), profile_) || (!offered_.dialback && !peer_db_ns_)) {
    return false;
  }
  request_dialback(a, pair_.local, now);
  state_ = OutboundState::dialback_requested;
  flush(a, now);  // queued db:verify questions may travel meanwhile
  return true;
}

void OutboundStream::request_dialback(StreamActions& a, const std::string& local, TimePoint now) {
  const std::string key =
      dialback_key(core_.config().security.dialback_secret, pair_.remote, local, stream_id_);
  core_.write(a, db_result_request(local, pair_.remote, key), now);
  dialback_pending_.insert(local);
}

void OutboundStream::on_sasl_result(StreamActions& a, const Element& e, TimePoint now) {
  if (e.name == "success") {  // RFC 6120 §6.4.6: restart the stream
    primary_authenticated_ = true;
    authenticated_.insert(pair_.local);
    a.authenticated.push_back({pair_, AuthMethod::sasl_external});
    core_.restart_stream();
    StreamHeader h = core_.our_header();
    core_.send_header(a, std::move(h), now);
    state_ = OutboundState::awaiting_header;
    return;
  }
  sasl_failed_ = true;  // RFC 6120 §6.4.5: try something else, or give up
  start_authentication(a, now);
}

void OutboundStream::on_db_result(StreamActions& a, const Element& e, TimePoint now) {
  auto local = normalize_domain(e.attr("to"));
  auto remote = normalize_domain(e.attr("from"));
  if (!local || !remote || *remote != pair_.remote || dialback_pending_.erase(*local) == 0) {
    return;  // XEP-0220 §2.1.1: not an answer to anything we asked; ignore
  }
  const std::string_view type = e.attr("type");
  if (type == "valid") {  // XEP-0220 example 2
    authenticated_.insert(*local);
    a.authenticated.push_back({DomainPair{*local, pair_.remote}, AuthMethod::dialback});
    if (*local == pair_.local && state_ == OutboundState::dialback_requested) {
      primary_authenticated_ = true;
      return after_authentication(a, now);
    }
    return flush(a, now);
  }
  a.refused.push_back({DomainPair{*local, pair_.remote},
                       type == "invalid" ? "dialback_invalid" : "dialback_error"});
  if (*local == pair_.local && state_ == OutboundState::dialback_requested) {
    core_.terminate(a, type == "invalid" ? "dialback_invalid" : "dialback_error", now);
  }
}

void OutboundStream::on_db_verify(StreamActions& a, const Element& e, TimePoint now) {
  const std::string_view type = e.attr("type");
  for (auto it = verify_pending_.begin(); it != verify_pending_.end(); ++it) {
    if (it->receiving == e.attr("to") && it->originating == e.attr("from") &&
        it->stream_id == e.attr("id")) {
      const DialbackOutcome outcome = type == "valid"     ? DialbackOutcome::valid
                                      : type == "invalid" ? DialbackOutcome::invalid
                                                          : DialbackOutcome::error;
      a.verdicts.push_back(DialbackVerdict{std::move(*it), outcome});
      verify_pending_.erase(it);
      break;
    }
  }
  if (state_ == OutboundState::verify_only && verify_pending_.empty() && verify_queued_.empty()) {
    core_.close_gracefully(a, "verify_done", now);
  }
}

void OutboundStream::after_authentication(StreamActions& a, TimePoint now) {
  if (offered_.sm && core_.config().stream_management) {
    core_.write(a, kSmEnable, now);  // XEP-0198 §3
    state_ = OutboundState::sm_requested;
    return;
  }
  become_ready(a, now);
}

void OutboundStream::become_ready(StreamActions& a, TimePoint now) {
  state_ = OutboundState::ready;
  core_.note_stanza(now);  // the idle timer starts now
  flush(a, now);
}

StreamActions OutboundStream::authenticate(std::string local_domain, TimePoint now) {
  return step([&](StreamActions& a) {
    auto local = normalize_domain(local_domain);
    if (!local || authenticated_.count(*local) > 0 || dialback_pending_.count(*local) > 0) {
      return;
    }
    if (!is_ready() || !dialback_permitted(core_.config(), profile_) ||
        !authoritative_for(core_.config(), *local)) {
      a.refused.push_back({DomainPair{*local, pair_.remote}, "multiplex_unavailable"});
      return;
    }
    request_dialback(a, *local, now);  // XEP-0220 §2.1: one more pair on this stream
  });
}

StreamActions OutboundStream::verify(DialbackVerify request, TimePoint now) {
  return step([&](StreamActions& a) {
    verify_queued_.push_back(std::move(request));
    if (state_ == OutboundState::ready || state_ == OutboundState::dialback_requested ||
        state_ == OutboundState::sm_requested || state_ == OutboundState::verify_only) {
      flush(a, now);
    }
  });
}

}  // namespace fedgate::xmpp
