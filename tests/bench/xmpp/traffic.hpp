// Typical s2s traffic for the XMPP benchmarks: presence with entity caps and status, chat
// messages with a chat state, and pings, as a federated server sends them.
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

// About `target_bytes` of stanzas; a mix of 3 presences, 2 messages and 1 iq per round.
Traffic make_traffic(std::size_t target_bytes);

}  // namespace fedgate::xmpp::bench
