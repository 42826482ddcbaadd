// The effective security policy for one peer domain: global settings combined with the
// partner's profile (RFC 6120 §5.3.1 mandatory TLS; XEP-0178; XEP-0220). Owned by
// xmpp_stream; pure inline functions, any executor.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "xmpp/stream/cert_names.hpp"
#include "xmpp/stream/stream_config.hpp"

namespace fedgate::xmpp {

inline std::optional<PartnerProfile> profile_for(const StreamConfig& c, std::string_view domain) {
  if (!c.partner_profile || domain.empty()) {
    return std::nullopt;
  }
  return c.partner_profile(domain);
}

inline bool tls_required_for(const StreamConfig& c, const std::optional<PartnerProfile>& p) {
  return c.security.tls_mode == TlsMode::tls_required ||
         (p && (p->tls_required || p->certificate_only));
}

inline bool dialback_permitted(const StreamConfig& c, const std::optional<PartnerProfile>& p) {
  return c.security.dialback_allowed && !c.security.dialback_secret.empty() &&
         (!p || (p->dialback_allowed && !p->certificate_only));
}

// The peer must present a valid certificate for its domain (chain and name), whatever else
// is allowed: the global setting, or a certificate-only partner. Dialback is then no way
// around a failed certificate check (RFC 6120 §13.7.2.3; XEP-0220 §1.2 "weak identity").
inline bool certificate_required_for(const StreamConfig& c,
                                     const std::optional<PartnerProfile>& p) {
  return c.security.require_valid_certificates || (p && p->certificate_only);
}

inline bool pin_ok(const std::optional<PartnerProfile>& p, const TlsFacts& facts) {
  return !p || p->pinned_sha256.empty() || p->pinned_sha256 == facts.fingerprint_sha256;
}

// The certificate authenticates `domain`: valid chain, matching name, pin respected.
inline bool certificate_authenticates(const TlsFacts& facts, const std::optional<PartnerProfile>& p,
                                      std::string_view domain) {
  return facts.chain_valid && certificate_matches(facts.identities, domain) && pin_ok(p, facts);
}

// The stable token for why the certificate does not authenticate `domain` ("" when it does).
inline std::string certificate_refusal(const TlsFacts& facts,
                                       const std::optional<PartnerProfile>& p,
                                       std::string_view domain) {
  if (!facts.chain_valid) {
    return "cert_" +
           (facts.chain_failure.empty() ? std::string("chain_invalid") : facts.chain_failure);
  }
  if (!pin_ok(p, facts)) {
    return "pin_mismatch";
  }
  return certificate_matches(facts.identities, domain) ? std::string() : "cert_name_mismatch";
}

inline bool serves(const StreamConfig& c, std::string_view domain) {
  return c.serves && c.serves(domain);
}

inline bool authoritative_for(const StreamConfig& c, std::string_view domain) {
  return c.authoritative_for ? c.authoritative_for(domain) : serves(c, domain);
}

}  // namespace fedgate::xmpp
