// Security settings changed live (see the header). XEP-0185 §3, XEP-0220 §2.2.2.
#include "xmpp/stream/security_change.hpp"

#include <utility>

namespace fedgate::xmpp {

namespace {

int strictness(TlsMode m) {
  switch (m) {
    case TlsMode::no_tls:
      return 0;
    case TlsMode::tls_optional:
      return 1;
    case TlsMode::tls_required:
      break;
  }
  return 2;
}

bool dialback_on(const SecuritySettings& s) {
  return s.dialback_allowed && !s.dialback_secret.empty();
}

}  // namespace

bool tightens(const SecuritySettings& before, const SecuritySettings& after) {
  return strictness(after.tls_mode) > strictness(before.tls_mode) ||
         (after.require_valid_certificates && !before.require_valid_certificates) ||
         (after.sasl_external_inbound && !before.sasl_external_inbound) ||
         (after.sasl_external_outbound && !before.sasl_external_outbound) ||
         (dialback_on(before) && !dialback_on(after));
}

SecuritySettings with_secret_grace(const SecuritySettings& before, SecuritySettings after,
                                   TimePoint grace_until) {
  if (after.dialback_secret != before.dialback_secret && !before.dialback_secret.empty()) {
    after.previous_dialback_secret = before.dialback_secret;
    after.previous_secret_until = grace_until;
  } else if (after.dialback_secret == before.dialback_secret) {
    after.previous_dialback_secret = before.previous_dialback_secret;
    after.previous_secret_until = before.previous_secret_until;
  }
  return after;
}

}  // namespace fedgate::xmpp
