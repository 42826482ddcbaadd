// Test helpers: run a StreamParser over a byte string, in chunks, and collect its events.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "xmpp/codec/stream_parser.hpp"

namespace fedgate::xmpp::test {

inline std::vector<StreamEvent> parse_all(StreamParser& parser, std::string_view bytes,
                                          std::size_t chunk = 1 << 20) {
  std::vector<StreamEvent> events;
  for (std::size_t i = 0; i < bytes.size(); i += chunk) {
    parser.feed(bytes.substr(i, chunk));
    while (auto e = parser.next()) {
      events.push_back(std::move(*e));
    }
  }
  return events;
}

inline std::vector<StreamEvent> parse_all(std::string_view bytes, std::size_t chunk = 1 << 20,
                                          ParserLimits limits = {}) {
  StreamParser parser(limits);
  return parse_all(parser, bytes, chunk);
}

inline const StreamFailure* failure_of(const std::vector<StreamEvent>& events) {
  return events.empty() ? nullptr : std::get_if<StreamFailure>(&events.back());
}

inline constexpr std::string_view kHeader =
    "<?xml version='1.0'?><stream:stream xmlns='jabber:server' "
    "xmlns:stream='http://etherx.jabber.org/streams' xmlns:db='jabber:server:dialback' "
    "from='capulet.example' to='montague.example' version='1.0'>";

}  // namespace fedgate::xmpp::test
