// The inbound s2s session: one accepted connection driving an InboundStream (plain TCP with
// STARTTLS, or Direct TLS), handing authenticated stanzas to the StanzaHandler. The coroutine
// frame owns the session; it runs on its own strand. RFC 6120 §4–§6, XEP-0178/0220/0368.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "gateway/base/log.hpp"
#include "xmpp/transport/s2s_config.hpp"
#include "xmpp/transport/s2s_metrics.hpp"

namespace fedgate::xmpp {

class S2sPool;

// Kept alive by the node (or the test) until every session has ended.
struct InboundDeps {
  const S2sConfig& config;
  StanzaHandler& handler;
  S2sMetrics& metrics;
  Logger log;
  // Carries db:verify questions to authoritative servers (XEP-0220 §2.1.2). Null: dialback
  // keys cannot be checked and are answered with a dialback error (§2.4).
  S2sPool* pool = nullptr;
};

// Runs until the stream closes (peer, idle, error) or the socket fails.
boost::asio::awaitable<void> run_inbound_session(boost::asio::ip::tcp::socket socket,
                                                 bool direct_tls, InboundDeps& deps);

// Refuses a connection the listener will not serve (too many from its address): on a plain
// connection a stream header and <policy-violation/> (RFC 6120 §4.9.1.2, §4.9.3.14), on a
// Direct TLS one just a close (no TLS for it).
boost::asio::awaitable<void> refuse_inbound_session(boost::asio::ip::tcp::socket socket,
                                                    bool direct_tls, InboundDeps& deps);

}  // namespace fedgate::xmpp
