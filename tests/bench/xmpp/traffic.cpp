#include "tests/bench/xmpp/traffic.hpp"

#include <string>

namespace fedgate::xmpp::bench {

Traffic make_traffic(std::size_t target_bytes) {
  Traffic t;
  for (std::size_t i = 0; t.bytes.size() < target_bytes; ++i) {
    const std::string n = std::to_string(i);
    t.bytes += "<presence from='juliet" + n +
               "@capulet.example/balcony' to='romeo@montague.example'>"
               "<show>away</show><status>Out for a walk in the orchard</status>"
               "<priority>5</priority><c xmlns='http://jabber.org/protocol/caps' hash='sha-1' "
               "node='https://conversations.im' ver='QgayPKawpkPSDYmwT/WM94uAlu0='/></presence>";
    t.bytes +=
        "<message from='juliet" + n +
        "@capulet.example/balcony' to='romeo@montague.example'"
        " type='chat' id='m" +
        n +
        "'><body>Wherefore art thou, Romeo? Deny thy father "
        "&amp; refuse thy name.</body><active xmlns='http://jabber.org/protocol/chatstates'/>"
        "</message>\n";
    t.bytes += "<presence from='nurse" + n +
               "@capulet.example/kitchen' to='romeo@montague.example'"
               " type='unavailable'/>";
    t.bytes += "<message from='nurse" + n +
               "@capulet.example/kitchen' to='romeo@montague.example'"
               " type='chat' id='n" +
               n +
               "'><composing xmlns='http://jabber.org/protocol/chatstates'/>"
               "</message>";
    t.bytes += "<presence from='tybalt" + n +
               "@capulet.example/sword' to='romeo@montague.example'>"
               "<show>dnd</show><status>Busy</status></presence>";
    t.bytes += "<iq from='capulet.example' to='montague.example' id='p" + n +
               "' type='get'>"
               "<ping xmlns='urn:xmpp:ping'/></iq> ";
    t.stanzas += 6;
  }
  return t;
}

}  // namespace fedgate::xmpp::bench
