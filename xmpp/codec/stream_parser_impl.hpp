// StreamParser::Impl: the parser's state, shared by the file that drives expat
// (stream_parser.cpp) and the one that assembles events from its callbacks
// (stream_parser_assembly.cpp). Private to xmpp_codec; one stream's strand only.
#pragma once

#include <expat.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "xmpp/codec/element.hpp"
#include "xmpp/codec/namespace_scope.hpp"
#include "xmpp/codec/stream_parser.hpp"

namespace fedgate::xmpp {

struct StreamParser::Impl {
  XML_Parser parser = nullptr;
  ParserLimits limits;
  Element root;                    // the top-level element being assembled
  std::vector<Element*> open;      // open elements: root, then each open descendant
  std::size_t depth = 0;           // 0: before the header; 1: inside <stream>; n: n-1 elements open
  NamespaceScope scope;            // bindings in scope: the header's, then the open elements'
  std::string header_name;         // the header's tag as the peer wrote it, replayed on waking
  std::vector<StreamEvent> ready;  // events parsed but not yet returned, from ready_head on
  std::size_t ready_head = 0;
  std::optional<StreamFailure> failure;
  bool terminal = false;
  bool suspended = false;           // expat paused after an event, bytes of its buffer left
  bool deferral = false;            // expat's reparse deferral currently enabled
  std::size_t in_expat_buffer = 0;  // bytes placed with XML_GetBuffer, not yet parsed
  std::string input;                // bytes not yet handed to expat, from input_head on
  std::size_t input_head = 0;
  std::uint64_t fed_total = 0;  // bytes handed to expat since the last restart
  std::uint64_t mark = 0;       // where the current unfinished construct starts
  // Hibernation: the difference between a woken parser's byte index and the stream's.
  std::int64_t index_offset = 0;
  bool resuming = false;  // the replayed header is being parsed

  explicit Impl(ParserLimits l);
  ~Impl() { XML_ParserFree(parser); }

  void install();
  void wake();
  void install_refusals();
  void reset();
  std::uint64_t event_end() const {
    return byte_index() + static_cast<std::uint64_t>(XML_GetCurrentByteCount(parser));
  }
  std::uint64_t byte_index() const {
    return static_cast<std::uint64_t>(XML_GetCurrentByteIndex(parser) + index_offset);
  }
  void fail(StreamErrc condition, std::string reason) {
    if (!failure) {
      failure = StreamFailure{condition, std::move(reason)};
    }
    XML_StopParser(parser, XML_FALSE);
  }
  void fail(NsFault fault);
  // Queues a header or top-level element and pauses expat: one event per run keeps the
  // stanzas' memory short-lived, and nothing after a <proceed/> is parsed before restart().
  template <typename Event>
  void emit(Event&& event) {
    ready.emplace_back(std::forward<Event>(event));
    mark = event_end();
    XML_StopParser(parser, XML_TRUE);
  }
  bool declare(const char** atts, std::size_t at_depth, std::size_t& attributes);
  const std::string* resolve_name(const char* name, QName& q);
  NsFault resolve_attributes(const char** atts, std::size_t n, std::vector<Attribute>& out);
  void open_stream(const char* name, const char** atts);
  void open_element(const char* name, const char** atts);
  Element& new_element();
  void close_element();
  void characters(const char* s, int len);
  void parse_chunk();
  XML_Status run_expat();
};

}  // namespace fedgate::xmpp
