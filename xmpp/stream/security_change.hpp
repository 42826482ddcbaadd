// Security settings changed live: what a change means for streams (tighter or not) and the
// XEP-0185 secret rotation grace. Owned by xmpp_stream; pure functions, any executor.
// RFC 6120 §5 (TLS), §6 (SASL EXTERNAL), XEP-0178, XEP-0185 §3, XEP-0220 §2.2.2.
#pragma once

#include "gateway/base/clock.hpp"
#include "xmpp/stream/security.hpp"

namespace fedgate::xmpp {

// True when `after` refuses something `before` allowed: a stricter TLS mode, valid
// certificates newly required, SASL EXTERNAL newly offered or used, dialback switched off.
bool tightens(const SecuritySettings& before, const SecuritySettings& after);

// `after` with the previous-secret fields set: when the dialback secret changed, `before`'s
// secret stays verifiable until `grace_until` (keys generated with it are still being
// verified by receiving servers); when it did not, a grace still running is carried over.
SecuritySettings with_secret_grace(const SecuritySettings& before, SecuritySettings after,
                                   TimePoint grace_until);

}  // namespace fedgate::xmpp
