// Security inputs of an s2s stream: the administrator's settings (settings table), the
// per-partner profile (partner profile table) and the facts the transport learned from TLS.
// Owned by xmpp_stream; plain values, any executor. RFC 6120 §5, §13.7; RFC 6125; XEP-0178.
#pragma once

#include <string>
#include <vector>

#include "gateway/base/clock.hpp"

namespace fedgate::xmpp {

enum class TlsMode { no_tls, tls_optional, tls_required };

struct SecuritySettings {
  TlsMode tls_mode = TlsMode::tls_optional;
  bool require_valid_certificates = true;  // refuse a peer whose chain or name does not verify
  bool sasl_external_inbound = true;       // offer SASL EXTERNAL to initiating servers
  bool sasl_external_outbound = true;      // use SASL EXTERNAL when a receiving server offers it
  bool dialback_allowed = true;            // XEP-0220, both directions
  std::string dialback_secret;             // XEP-0185 secret; must be set when dialback is on
  // The secret before a live change: keys it made are still verified (XEP-0220 §2.2.2) until
  // `previous_secret_until`, so dialbacks in flight across the change complete.
  std::string previous_dialback_secret;
  TimePoint previous_secret_until{};
};

// Per-partner overrides, looked up by the peer's domain.
struct PartnerProfile {
  bool tls_required = false;
  bool certificate_only = false;  // SASL EXTERNAL (or a valid certificate) only; no dialback
  bool dialback_allowed = true;
  std::string pinned_sha256;  // lower-case hex SHA-256 of the leaf certificate; empty: none
};

// What the transport reports once the TLS handshake is done. Chain validation happens in
// the transport (OpenSSL); RFC 6125 name matching happens here, against `identities`.
struct TlsFacts {
  bool chain_valid = false;
  // Stable reason when !chain_valid: "no_certificate", "expired", "not_yet_valid",
  // "untrusted_issuer", "missing_usage", "revoked"...
  std::string chain_failure;
  // Presented identifiers: DNS-IDs (wildcards kept, e.g. "*.example.com"), SRV-IDs for
  // _xmpp-server reduced to their domain, and XmppAddr domains.
  std::vector<std::string> identities;
  std::string fingerprint_sha256;  // lower-case hex of the leaf certificate
  std::string subject = {};        // leaf subject and issuer (RFC 2253), for refusal logs
  std::string issuer = {};
};

}  // namespace fedgate::xmpp
