// Discovery of a remote XMPP server: a static route, else `_xmpps-server._tcp` (XEP-0368, TLS
// from the start) then `_xmpp-server._tcp` in RFC 2782 order, else the domain itself on 5269.
// Owned by xmpp_net; a coroutine over the Resolver port, any strand. RFC 6120 §3.2.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "gateway/net/resolver.hpp"
#include "gateway/net/srv_order.hpp"
#include "xmpp/transport/s2s_config.hpp"

namespace fedgate::xmpp {

struct S2sCandidate {
  std::string host;
  std::uint16_t port = 5269;
  bool direct_tls = false;
  friend bool operator==(const S2sCandidate&, const S2sCandidate&) = default;
};

// The hosts to try, in order. Empty when DNS says the service is decidedly not available
// (RFC 2782 "." target) for both SRV names.
boost::asio::awaitable<std::vector<S2sCandidate>> discover(std::string domain,
                                                           const S2sConfig& config,
                                                           gateway::Resolver& resolver,
                                                           gateway::SrvRandom random);

}  // namespace fedgate::xmpp
