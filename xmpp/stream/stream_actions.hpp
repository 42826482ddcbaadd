// StreamActions: what an s2s stream state machine asks its transport to do after one input.
// Owned by the caller (xmpp/transport) for the duration of one step; carried out in order:
// write `write`, then start TLS / route / verify / close. RFC 6120 §4–§6, XEP-0220, XEP-0198.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/base/clock.hpp"
#include "xmpp/codec/element.hpp"
#include "xmpp/codec/stream_error.hpp"

namespace fedgate::xmpp {

// An authenticated direction of traffic: stanzas from `remote` to `local` (inbound) or from
// `local` to `remote` (outbound). Domains are normalised (Jid rules).
struct DomainPair {
  std::string local;
  std::string remote;
  friend auto operator<=>(const DomainPair&, const DomainPair&) = default;
};

// XEP-0220 §2.1.2: "ask the Authoritative Server whether this key is right". The transport
// sends it on an outbound stream to `originating` (OutboundStream::verify) and reports the
// answer with InboundStream::on_dialback_verdict.
struct DialbackVerify {
  std::string receiving;    // our domain (the db:result's 'to')
  std::string originating;  // the peer's claimed domain (the db:result's 'from')
  std::string stream_id;    // our inbound stream's id
  std::string key;
  friend bool operator==(const DialbackVerify&, const DialbackVerify&) = default;
};

enum class DialbackOutcome { valid, invalid, error };

struct DialbackVerdict {
  DialbackVerify request;
  DialbackOutcome outcome = DialbackOutcome::error;
  friend bool operator==(const DialbackVerdict&, const DialbackVerdict&) = default;
};

// How a pair was authenticated (logged; XEP-0178, XEP-0220, XEP-0344 §2.4).
enum class AuthMethod {
  sasl_external,  // SASL EXTERNAL with the certificate (RFC 6120 §6.4, XEP-0178)
  dialback,       // Server Dialback verified with the authoritative server (XEP-0220)
  certificate,    // a db:result settled by a certificate that covers the domain (XEP-0344)
};
std::string_view auth_method_name(AuthMethod m);

struct Authenticated {
  DomainPair pair;
  AuthMethod method = AuthMethod::dialback;
  friend bool operator==(const Authenticated&, const Authenticated&) = default;
};

struct Refusal {
  DomainPair pair;
  std::string reason;       // stable token: "dialback_invalid", "sasl_failed"...
  std::string detail = {};  // for the log: what was expected and what was presented, if known
  friend bool operator==(const Refusal&, const Refusal&) = default;
};

// The stream is over. `error` is the stream error we sent (nullopt: a clean close or the
// peer's doing); `reason` a stable snake_case token for logs and metrics.
struct StreamClose {
  std::optional<StreamErrc> error;
  std::string reason;
  // For the log, never for the peer: specifics of a security refusal, e.g. "expected
  // partner.example; presented other.example" or the issuer of an untrusted chain.
  std::string detail = {};
  friend bool operator==(const StreamClose&, const StreamClose&) = default;
};

struct StreamActions {
  std::string write;                      // bytes for the peer, in order
  bool start_tls = false;                 // after `write`: TLS handshake, then on_tls_established
  std::vector<Element> stanzas;           // inbound: authenticated stanzas for routing
  std::vector<DialbackVerify> verify;     // inbound: keys to check with the authoritative server
  std::vector<DialbackVerdict> verdicts;  // outbound: the authoritative server's answers
  std::vector<Authenticated> authenticated;  // pairs that may now carry stanzas, and how
  std::vector<Refusal> refused;              // pairs that failed to authenticate
  std::vector<std::uint64_t> delivered;  // outbound: tags acknowledged (or written, no XEP-0198)
  std::optional<std::string> ping_id;    // outbound: XEP-0199 ping sent; answer via on_pong()
  std::optional<StreamClose> close;      // close the transport after writing `write`
  std::optional<TimePoint> wake_at;      // call on_wake() at (or after) this time
};

// Appends the actions of a later step to `into`, so that several inputs (a batch of stanzas)
// are carried out at once: writes concatenated in order, lists appended, the later close and
// wake-up win.
void append(StreamActions& into, StreamActions&& later);

}  // namespace fedgate::xmpp
