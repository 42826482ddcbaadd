// Securing a fresh SIP stream: the TLS handshake under a deadline, then the peer check
// (chain, validity, usage and, when dialling a name, the name) and the TLS peer-subject
// allow-list. Owned by sip_net; runs on the connection's strand. RFC 5630 §3, RFC 5922 §7.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <string>

#include "gateway/base/clock.hpp"
#include "gateway/base/log.hpp"
#include "gateway/base/result.hpp"
#include "gateway/net/peer_check.hpp"
#include "sip/transport/sip_stream.hpp"
#include "sip/transport/transport_config.hpp"

namespace fedgate::sip {

// `peer_role` is what the far end is to us (PeerRole::client on accepted connections).
// `domain` is the name the peer's certificate must cover ("" skips the name check). On TCP
// this succeeds with an empty identity. Errors: TransportErrc::handshake_failed /
// handshake_timeout / subject_not_allowed, or the gateway::CertErrc of the peer check.
boost::asio::awaitable<result<gateway::PeerIdentity>> secure_stream(SipStream& stream,
                                                                    gateway::PeerRole peer_role,
                                                                    std::string domain,
                                                                    const TransportConfig& config,
                                                                    const Logger& log);

// Cancels the socket's operations when `after` elapses first; `fired` then becomes true.
// Race it against an operation with `||`.
boost::asio::awaitable<void> cancel_after(SipStream::Socket& socket, Duration after, bool& fired);

}  // namespace fedgate::sip
