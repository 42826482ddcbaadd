// StreamHeader: the attributes and namespace declarations of a <stream:stream> open tag
// (RFC 6120 §4.7, §4.8; XEP-0220 §2.1 db namespace). Owned by xmpp_codec; a plain value.
// The parser produces it; serialize_header() writes the one fedgate sends.
#pragma once

#include <string>

namespace fedgate::xmpp {

struct StreamHeader {
  std::string from;
  std::string to;
  std::string id;
  std::string version;       // "1.0"; empty when absent (pre-RFC 3920 peer)
  std::string lang;          // xml:lang
  std::string content_ns;    // the default namespace declared on the header (jabber:server)
  bool dialback_ns = false;  // xmlns:db='jabber:server:dialback' declared
  friend bool operator==(const StreamHeader&, const StreamHeader&) = default;
};

// "<?xml version='1.0'?><stream:stream xmlns='..' xmlns:stream='..' [xmlns:db='..']
// from='..' to='..' [id='..'] version='1.0' [xml:lang='..']>", attributes escaped; empty
// from/to/id/lang are omitted.
std::string serialize_header(const StreamHeader& h);

}  // namespace fedgate::xmpp
