#include "tests/bench/xmpp/traffic.hpp"

#include <string>
#include <string_view>

namespace fedgate::xmpp::bench {
namespace {

// A presence broadcast as a client sends it: availability, a status text, priority, entity
// capabilities (XEP-0115) and, when the server had it cached, a delay stamp (XEP-0203).
void append_presence(std::string& out, const std::string& from, std::string_view show,
                     std::string_view status, bool delayed) {
  out += "<presence from='" + from + "' to='romeo@montague.example'><show>";
  out.append(show);
  out += "</show><status>";
  out.append(status);
  out +=
      "</status><priority>5</priority><c xmlns='http://jabber.org/protocol/caps' hash='sha-1' "
      "node='https://conversations.im' ver='QgayPKawpkPSDYmwT/WM94uAlu0='/>";
  if (delayed) {
    out += "<delay xmlns='urn:xmpp:delay' from='capulet.example' stamp='2026-11-21T10:15:00Z'/>";
  }
  out += "</presence>";
}

// A chat message with a thread and a chat state (XEP-0085); `rich` adds an XHTML-IM body
// (XEP-0071) with mixed content, as desktop clients send it.
void append_message(std::string& out, const std::string& from, const std::string& id, bool rich) {
  out += "<message from='" + from + "' to='romeo@montague.example' type='chat' id='" + id +
         "' xml:lang='en'><body>Wherefore art thou, Romeo? Deny thy father &amp; refuse thy "
         "name.</body><thread>e0ffe42b28561960c6b12b944a092794b9683a38</thread>"
         "<active xmlns='http://jabber.org/protocol/chatstates'/>";
  if (rich) {
    out +=
        "<html xmlns='http://jabber.org/protocol/xhtml-im'><body "
        "xmlns='http://www.w3.org/1999/xhtml'><p>Wherefore art thou, <strong>Romeo</strong>? "
        "Deny thy father &amp; refuse thy name.</p></body></html>";
  }
  out += "</message>\n";
}

}  // namespace

Traffic make_traffic(std::size_t target_bytes) {
  Traffic t;
  for (std::size_t i = 0; t.bytes.size() < target_bytes; ++i) {
    const std::string n = std::to_string(i);
    append_presence(t.bytes, "juliet" + n + "@capulet.example/balcony", "away",
                    "Out for a walk in the orchard", false);
    append_message(t.bytes, "juliet" + n + "@capulet.example/balcony", "m" + n, i % 2 == 0);
    t.bytes += "<presence from='nurse" + n +
               "@capulet.example/kitchen' to='romeo@montague.example' type='unavailable'/>";
    t.bytes += "<message from='nurse" + n +
               "@capulet.example/kitchen' to='romeo@montague.example' type='chat' id='n" + n +
               "'><composing xmlns='http://jabber.org/protocol/chatstates'/></message>";
    append_presence(t.bytes, "tybalt" + n + "@capulet.example/sword", "dnd", "Busy", true);
    t.bytes += "<iq from='capulet.example' to='montague.example' id='p" + n +
               "' type='get'><ping xmlns='urn:xmpp:ping'/></iq> ";
    t.stanzas += 6;
  }
  return t;
}

}  // namespace fedgate::xmpp::bench
