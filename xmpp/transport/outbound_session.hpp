// The outbound s2s session for one (local, remote) domain pair: discovery, a bounded connect,
// Direct TLS or STARTTLS with SNI, an OutboundStream (SASL EXTERNAL or dialback, XEP-0198),
// and a mailbox of stanzas to send. The coroutine frame owns it; it runs on its own strand.
// RFC 6120 §3.2, §5, §6; XEP-0178, XEP-0220, XEP-0198, XEP-0368.
#pragma once

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <functional>
#include <memory>

#include "gateway/base/log.hpp"
#include "gateway/net/resolver.hpp"
#include "gateway/net/srv_order.hpp"
#include "xmpp/stream/stream_actions.hpp"
#include "xmpp/transport/s2s_config.hpp"
#include "xmpp/transport/s2s_metrics.hpp"
#include "xmpp/transport/session_io.hpp"

namespace fedgate::xmpp {

// Owned by the S2sPool; outlives every session it spawned.
struct OutboundDeps {
  const S2sConfig& config;
  gateway::Resolver& resolver;
  S2sMetrics& metrics;
  Logger log;
  BounceFn bounce;
  DeliveredFn delivered;  // may be empty
  gateway::SrvRandom srv_random;
  const std::atomic<bool>& stopping;  // node shutdown: close streams, hold what is left
  // Called once when the session ends, before it drains its mailbox: the pool forgets the
  // mailbox (so that new stanzas go to a new session) and closes it.
  std::function<void(const DomainPair&, const Mailbox*)> detach;
  // Sends an item again on a new stream of the same pair (XEP-0198 resend).
  std::function<void(const DomainPair&, OutboundItem)> resend;
};

boost::asio::awaitable<void> run_outbound_session(DomainPair pair, std::shared_ptr<Mailbox> mailbox,
                                                  OutboundDeps& deps);

}  // namespace fedgate::xmpp
