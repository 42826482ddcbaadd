// libFuzzer target: the XMPP stream parser. Feeds the input in two pieces (split point from
// the first byte), then checks the round-trip invariant on every element: serialise it, parse
// it back inside a fresh stream, and get the same Element (STYLE.md B3). A second parser that
// hibernates between the pieces must report exactly the same events.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "xmpp/codec/namespaces.hpp"
#include "xmpp/codec/stream_parser.hpp"

namespace {

using namespace fedgate::xmpp;

void check_round_trip(const Element& e, const StreamHeader& h) {
  const std::string bytes = to_string(e, {h.content_ns, true, true});
  ParserLimits roomy;
  roomy.max_stanza_bytes = 64 * 1024 * 1024;
  roomy.max_text_bytes = 64 * 1024 * 1024;
  roomy.max_depth = 1024;
  roomy.max_attributes = 1024;
  roomy.max_namespace_declarations = 4096;  // the serialiser declares one per namespaced attribute
  StreamParser again(roomy);
  // A header declaring the same default namespace the element was parsed under.
  std::string header = "<stream:stream xmlns='";
  append_escaped_attribute(header, h.content_ns);
  header +=
      "' xmlns:stream='http://etherx.jabber.org/streams' "
      "xmlns:db='jabber:server:dialback'>";
  again.feed(header + bytes);
  auto first = again.next();
  auto second = again.next();
  if (!first || !second || !std::holds_alternative<Element>(*second) ||
      std::get<Element>(*second) != e) {
    std::abort();  // parse(serialize(e)) != e
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t split = size == 0 ? 0 : static_cast<std::size_t>(data[0]) % (size + 1);
  StreamParser parser;
  StreamParser sleepy;  // hibernates whenever it can: must see the same stream
  std::vector<StreamEvent> seen, seen_sleepy;
  StreamHeader header;
  for (const std::string_view piece : {input.substr(0, split), input.substr(split)}) {
    parser.feed(piece);
    while (auto event = parser.next()) {
      if (auto* h = std::get_if<StreamHeader>(&*event)) {
        header = *h;
      } else if (auto* e = std::get_if<Element>(&*event)) {
        check_round_trip(*e, header);
      }
      seen.push_back(std::move(*event));
    }
    sleepy.feed(piece);
    while (auto event = sleepy.next()) {
      seen_sleepy.push_back(std::move(*event));
    }
    sleepy.hibernate();
  }
  if (seen != seen_sleepy) {
    std::abort();  // hibernation changed what the stream means
  }
  return 0;
}
