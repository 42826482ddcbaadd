// StreamParser: incremental XML stream parser over expat, namespaces resolved by NamespaceScope.
// Bytes go in, events come out one at a time: the stream header, each complete top-level element,
// the stream close, or a failure carrying the RFC 6120 §4.9.3 condition. Enforces RFC 6120 §11.1
// (no DTD, comments, PIs, non-predefined entities) and hard size limits. Sans-I/O; owned by
// one stream (xmpp_stream), used on that stream's strand only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "xmpp/codec/element.hpp"
#include "xmpp/codec/stream_error.hpp"
#include "xmpp/codec/stream_header.hpp"

namespace fedgate::xmpp {

struct ParserLimits {
  std::size_t max_stanza_bytes = 512 * 1024;    // one top-level element (or header), in bytes
  std::size_t max_depth = 32;                   // element nesting inside a top-level element
  std::size_t max_attributes = 64;              // per element
  std::size_t max_text_bytes = 256 * 1024;      // one run of character data
  std::size_t max_namespace_declarations = 64;  // in scope at once, the header's included
};

struct StreamClosed {
  friend bool operator==(const StreamClosed&, const StreamClosed&) = default;
};

// Why the parser refused the input: the stream error to send, and a stable reason token
// ("comment", "dtd", "stanza_too_large", "expat:<code>"...) for logs and metrics.
struct StreamFailure {
  StreamErrc condition = StreamErrc::not_well_formed;
  std::string reason;
  friend bool operator==(const StreamFailure&, const StreamFailure&) = default;
};

using StreamEvent = std::variant<StreamHeader, Element, StreamClosed, StreamFailure>;

class StreamParser {
 public:
  explicit StreamParser(ParserLimits limits = {});
  ~StreamParser();
  StreamParser(StreamParser&&) noexcept;
  StreamParser& operator=(StreamParser&&) noexcept;
  StreamParser(const StreamParser&) = delete;
  StreamParser& operator=(const StreamParser&) = delete;

  // Hands bytes to the parser; next() parses them (at most 64 KiB per expat run).
  void feed(std::string_view bytes);
  // The next complete event, or nullopt when more bytes are needed. After a StreamFailure
  // or StreamClosed, always nullopt until restart().
  std::optional<StreamEvent> next();
  // RFC 6120 §4.3.3 stream restart (after STARTTLS, after SASL success): forget the old
  // stream, every event not yet returned and every byte not yet parsed (§5.4.3.3: nothing
  // received before TLS is kept).
  void restart();
  // Between stanzas, frees expat's parser (10-18 kB, see tests/bench/xmpp) so that an idle
  // stream holds little; the next feed() creates a new one and replays the declarations of
  // the peer's stream header into it (nothing is reported for that). False, and nothing
  // freed, when a construct is partly parsed, or before the header / after the end.
  bool hibernate();
  bool hibernating() const;

  // True once a StreamFailure has been returned (until restart()).
  bool failed() const;
  // Bytes parsed into the current unfinished top-level element (or header) so far.
  std::size_t pending_bytes() const;
  // Bytes expat currently holds for all parsers in this process (counted by allocator hooks).
  static std::size_t expat_bytes_in_use();
  // This parser's own retained buffers (assembly stack, input), excluding expat.
  std::size_t retained_bytes() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fedgate::xmpp
