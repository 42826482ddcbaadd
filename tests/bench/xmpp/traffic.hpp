// Typical s2s traffic for the XMPP benchmarks, as a federated server relays it: presence with
// show, status, priority, entity caps (XEP-0115) and delay stamps (XEP-0203); chat messages
// with body, thread, chat states (XEP-0085) and, one in four, an XHTML-IM body (XEP-0071);
// and pings (XEP-0199).
#pragma once

#include <cstddef>
#include <string>

namespace fedgate::xmpp::bench {

inline constexpr const char* kHeader =
    "<?xml version='1.0'?><stream:stream xmlns='jabber:server' "
    "xmlns:stream='http://etherx.jabber.org/streams' xmlns:db='jabber:server:dialback' "
    "from='capulet.example' to='montague.example' version='1.0'>";

struct Traffic {
  std::string bytes;  // stanzas only, no header
  std::size_t stanzas = 0;
};

// About `target_bytes` of stanzas; per round 3 presences, 2 messages and 1 iq.
Traffic make_traffic(std::size_t target_bytes);

}  // namespace fedgate::xmpp::bench
