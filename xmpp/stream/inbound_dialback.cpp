// InboundStream: authentication — SASL EXTERNAL (RFC 6120 §6.4, XEP-0178 §3) and Server
// Dialback as receiving and authoritative server (XEP-0220 §2.1.2, §2.2, §2.4).
#include "xmpp/codec/base64.hpp"
#include "xmpp/codec/jid.hpp"
#include "xmpp/stream/dialback_key.hpp"
#include "xmpp/stream/inbound_stream.hpp"
#include "xmpp/stream/stream_policy.hpp"
#include "xmpp/stream/stream_writer.hpp"

namespace fedgate::xmpp {
namespace {

constexpr int kMaxSaslFailures = 2;  // RFC 6120 §6.4.5: a configurable number of retries

// Dialback keys are hex; the examples (XEP-0220 §2) wrap them in whitespace.
std::string trimmed_text(const Element& e) {
  const std::string text = e.text_content();
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) {
    return {};
  }
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

std::string normalized_or_empty(std::string_view domain) {
  auto d = normalize_domain(domain);
  return d ? std::move(*d) : std::string();
}

}  // namespace

void InboundStream::sasl_fail(StreamActions& a, std::string_view condition, TimePoint now) {
  core_.write(a, sasl_failure(condition), now);  // RFC 6120 §6.4.5
  if (++sasl_failures_ > kMaxSaslFailures) {
    core_.fail(a, StreamErrc::not_authorized, "sasl_retries", now);
  }
}

void InboundStream::on_auth(StreamActions& a, const Element& e, TimePoint now) {
  if (!tls_gate(a, now)) {
    return;
  }
  if (!offered_external_ || e.attr("mechanism") != "EXTERNAL") {
    return sasl_fail(a, "invalid-mechanism", now);
  }
  const std::string response = e.text_content();
  std::string identity = peer_domain_;
  if (!response.empty() && response != "=") {
    auto authzid = base64_decode(response);
    if (!authzid) {
      return sasl_fail(a, "incorrect-encoding", now);
    }
    // XEP-0178 §3: the authorization identity must be the header's 'from'.
    if (normalized_or_empty(*authzid) != peer_domain_) {
      return sasl_fail(a, "invalid-authzid", now);
    }
  }
  if (identity.empty() || !certificate_authenticates(core_.tls_facts(), profile_, identity)) {
    return sasl_fail(a, "not-authorized", now);
  }
  core_.write(a, kSaslSuccess, now);  // RFC 6120 §6.4.6
  sasl_done_ = true;
  authenticate(a, DomainPair{local_domain_, identity}, AuthMethod::sasl_external);
  state_ = InboundState::awaiting_header;
  core_.restart_stream();  // RFC 6120 §6.4.6: the initiating entity restarts the stream
}

void InboundStream::on_db_result(StreamActions& a, const Element& e, TimePoint now) {
  if (!e.attr("type").empty() || !tls_gate(a, now)) {
    return;  // answers travel the other way; an inbound stream never asked a question
  }
  const std::string from = normalized_or_empty(e.attr("from"));
  const std::string to = normalized_or_empty(e.attr("to"));
  if (from.empty()) {  // XEP-0220 §2.4
    return core_.fail(a, StreamErrc::invalid_from, "dialback_from", now);
  }
  DomainPair pair{to, from};
  if (to.empty() || !serves(core_.config(), to)) {  // XEP-0220 example 10
    core_.write(a, db_error("result", e.attr("to"), from, {}, StanzaErrc::item_not_found), now);
    a.refused.push_back({std::move(pair), "dialback_unknown_to"});
    return;
  }
  if (dialback_refused(a, pair, now)) {
    return;
  }
  if (authenticated_.count(pair) > 0 || pending_.count(pair) > 0) {
    if (authenticated_.count(pair) > 0) {
      core_.write(a, db_result_answer(to, from, true), now);
    }
    return;
  }
  pending_.insert(pair);
  a.verify.push_back(DialbackVerify{to, from, stream_id_, trimmed_text(e)});
}

// Before asking the authoritative server: policy, and what the certificate already says. True
// when the db:result is answered here (refused, or settled by the certificate).
bool InboundStream::dialback_refused(StreamActions& a, const DomainPair& pair, TimePoint now) {
  const auto& [to, from] = pair;
  const auto profile = profile_for(core_.config(), from);
  if (!dialback_permitted(core_.config(), profile) ||
      (!core_.tls() && tls_required_for(core_.config(), profile))) {
    core_.write(a, db_error("result", to, from, {}, StanzaErrc::not_allowed), now);
    a.refused.push_back({pair, "dialback_not_allowed"});
    return true;
  }
  // XEP-0344 §2.4: a certificate that authenticates the originating domain settles it.
  if (core_.tls() && certificate_authenticates(core_.tls_facts(), profile, from)) {
    core_.write(a, db_result_answer(to, from, true), now);
    authenticate(a, pair, AuthMethod::certificate);
    return true;
  }
  // Certificates required: dialback is no way around one that does not cover this domain
  // (a multiplexed pair, or a peer that named no domain in its header).
  if (core_.tls() && certificate_required_for(core_.config(), profile)) {
    core_.write(a, db_error("result", to, from, {}, StanzaErrc::not_authorized), now);
    a.refused.push_back({pair, certificate_refusal(core_.tls_facts(), profile, from),
                         certificate_detail(core_.tls_facts(), from)});
    return true;
  }
  return false;
}

StreamActions InboundStream::on_dialback_verdict(const DialbackVerify& request,
                                                 DialbackOutcome outcome, TimePoint now) {
  return step([&](StreamActions& a) {
    DomainPair pair{request.receiving, request.originating};
    if (pending_.erase(pair) == 0) {
      return;  // not ours, or the stream restarted meanwhile
    }
    const auto& [to, from] = pair;
    if (outcome == DialbackOutcome::valid) {  // XEP-0220 example 11
      core_.write(a, db_result_answer(to, from, true), now);
      return authenticate(a, std::move(pair), AuthMethod::dialback);
    }
    if (outcome == DialbackOutcome::invalid) {  // XEP-0220 example 12
      core_.write(a, db_result_answer(to, from, false), now);
    } else {  // XEP-0220 §2.4: the authoritative server could not be asked
      core_.write(a, db_error("result", to, from, {}, StanzaErrc::remote_server_not_found), now);
    }
    a.refused.push_back({std::move(pair), outcome == DialbackOutcome::invalid
                                              ? "dialback_invalid"
                                              : "dialback_unverifiable"});
  });
}

// We are the authoritative server (XEP-0220 §2.2.2): is this the key we generated?
void InboundStream::on_db_verify(StreamActions& a, const Element& e, TimePoint now) {
  if (!e.attr("type").empty() || !tls_gate(a, now)) {
    return;
  }
  const StreamConfig& c = core_.config();
  const std::string receiving = normalized_or_empty(e.attr("from"));
  const std::string originating = normalized_or_empty(e.attr("to"));
  const std::string_view id = e.attr("id");
  if (originating.empty() || !authoritative_for(c, originating)) {  // XEP-0220 example 14
    return core_.write(
        a, db_error("verify", e.attr("to"), e.attr("from"), id, StanzaErrc::item_not_found), now);
  }
  if (receiving.empty() || id.empty() || c.security.dialback_secret.empty()) {
    return core_.write(
        a, db_error("verify", originating, e.attr("from"), id, StanzaErrc::not_allowed), now);
  }
  const SecuritySettings& s = c.security;
  const std::string key = trimmed_text(e);
  const bool valid =
      dialback_key_matches(key, s.dialback_secret, receiving, originating, id) ||
      (!s.previous_dialback_secret.empty() && now < s.previous_secret_until &&
       dialback_key_matches(key, s.previous_dialback_secret, receiving, originating, id));
  core_.write(a, db_verify_answer(originating, receiving, id, valid), now);  // examples 15, 16
}

}  // namespace fedgate::xmpp
