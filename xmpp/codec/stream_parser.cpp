#include "xmpp/codec/stream_parser.hpp"

#include <expat.h>
#include <strings.h>

#include <algorithm>
#include <cstring>

#include "xmpp/codec/expat_memory.hpp"
#include "xmpp/codec/stream_parser_impl.hpp"

namespace fedgate::xmpp {
namespace {

// Bytes handed to expat at once: one TLS record. A read of up to this size goes straight into
// expat's buffer (one copy, one expat run per read; ~6% faster than 4 KiB chunks on the bench
// traffic), at the price of expat keeping a buffer that large while the stream is awake
// (~26 kB after 16 KiB reads instead of ~18 kB; hibernate() frees it on idle streams). It
// also bounds how late the stanza size limit is checked (between chunks).
constexpr std::size_t kChunk = 16 * 1024;
// `input` gives back capacity above this once drained, so idle streams stay small.
constexpr std::size_t kKeepInputCapacity = 4 * 1024;
// Above this many bytes of unfinished construct, expat's reparse deferral (the
// CVE-2023-52425 fix) is switched on so that a huge start tag trickling in byte by byte costs
// linear, not quadratic, time. Below it deferral stays off: it would hold back small tokens
// until more bytes arrive, which a request/response protocol cannot afford.
constexpr std::size_t kDeferReparseAbove = 64 * 1024;

StreamFailure map_expat_error(XML_Error code) {
  switch (code) {
    case XML_ERROR_UNDEFINED_ENTITY:
    case XML_ERROR_RECURSIVE_ENTITY_REF:
    case XML_ERROR_BINARY_ENTITY_REF:
    case XML_ERROR_ATTRIBUTE_EXTERNAL_ENTITY_REF:
      return {StreamErrc::restricted_xml, "entity_reference"};
    case XML_ERROR_UNKNOWN_ENCODING:
    case XML_ERROR_INCORRECT_ENCODING:
      return {StreamErrc::unsupported_encoding, "encoding"};
    default:
      return {StreamErrc::not_well_formed, "expat:" + std::to_string(static_cast<int>(code))};
  }
}

XML_Parser create_expat() {  // no namespace processing: NamespaceScope does it
  return XML_ParserCreate_MM("UTF-8", &counting_memory_suite(), nullptr);
}

}  // namespace

StreamParser::Impl::Impl(ParserLimits l) : parser(create_expat()), limits(l) { install(); }

void StreamParser::Impl::install() {
  XML_SetUserData(parser, this);
  XML_SetElementHandler(
      parser,
      [](void* ud, const XML_Char* name, const XML_Char** atts) {
        auto& s = *static_cast<Impl*>(ud);
        s.depth == 0 ? s.open_stream(name, atts) : s.open_element(name, atts);
      },
      [](void* ud, const XML_Char*) { static_cast<Impl*>(ud)->close_element(); });
  XML_SetCharacterDataHandler(parser, [](void* ud, const XML_Char* s, int len) {
    static_cast<Impl*>(ud)->characters(s, len);
  });
  install_refusals();
  XML_SetParamEntityParsing(parser, XML_PARAM_ENTITY_PARSING_NEVER);
  XML_SetReparseDeferralEnabled(parser, XML_FALSE);
  deferral = false;
}

// RFC 6120 §11.1: refuse what an XMPP stream must not contain, in the codec itself.
void StreamParser::Impl::install_refusals() {
  XML_SetCommentHandler(parser, [](void* ud, const XML_Char*) {
    static_cast<Impl*>(ud)->fail(StreamErrc::restricted_xml, "comment");
  });
  XML_SetProcessingInstructionHandler(parser, [](void* ud, const XML_Char*, const XML_Char*) {
    static_cast<Impl*>(ud)->fail(StreamErrc::restricted_xml, "processing_instruction");
  });
  XML_SetStartDoctypeDeclHandler(
      parser, [](void* ud, const XML_Char*, const XML_Char*, const XML_Char*, int) {
        static_cast<Impl*>(ud)->fail(StreamErrc::restricted_xml, "dtd");
      });
  XML_SetEntityDeclHandler(
      parser, [](void* ud, const XML_Char*, int, const XML_Char*, int, const XML_Char*,
                 const XML_Char*, const XML_Char*, const XML_Char*) {
        static_cast<Impl*>(ud)->fail(StreamErrc::restricted_xml, "entity_declaration");
      });
  XML_SetXmlDeclHandler(parser, [](void* ud, const XML_Char*, const XML_Char* encoding, int) {
    // RFC 6120 §11.6: UTF-8 only.
    if (encoding != nullptr && strcasecmp(encoding, "UTF-8") != 0) {
      static_cast<Impl*>(ud)->fail(StreamErrc::unsupported_encoding, "encoding");
    }
  });
}

void StreamParser::Impl::reset() {
  if (parser == nullptr) {
    parser = create_expat();
  } else {
    XML_ParserReset(parser, "UTF-8");
  }
  install();
  scope.clear();
  header_name.clear();
  index_offset = 0;
  resuming = false;
  suspended = false;
  if (open.capacity() > 64) {
    std::vector<Element*>().swap(open);
  }
  open.clear();
  root = Element();
  depth = 0;
  ready.clear();
  ready_head = 0;
  failure.reset();
  terminal = false;
  in_expat_buffer = 0;
  std::string().swap(input);
  input_head = 0;
  fed_total = mark = 0;
}

// A new parser picks up where the freed one stopped: inside the peer's header, whose tag it
// is given again (NamespaceScope kept the header's declarations meanwhile).
void StreamParser::Impl::wake() {
  parser = create_expat();
  if (parser == nullptr) {
    terminal = true;
    failure = StreamFailure{StreamErrc::resource_constraint, "out_of_memory"};
    ready.push_back(*failure);
    return;
  }
  install();
  const std::string replay = "<" + header_name + ">";
  index_offset = static_cast<std::int64_t>(fed_total) - static_cast<std::int64_t>(replay.size());
  resuming = true;
  depth = 0;  // open_stream() takes the replayed header and sets it back to 1
  XML_Parse(parser, replay.data(), static_cast<int>(replay.size()), XML_FALSE);
  resuming = false;
}

XML_Status StreamParser::Impl::run_expat() {
  if (suspended) {
    suspended = false;
    return XML_ResumeParser(parser);
  }
  const bool want_deferral = fed_total - mark > kDeferReparseAbove;
  if (want_deferral != deferral) {
    deferral = want_deferral;
    XML_SetReparseDeferralEnabled(parser, deferral ? XML_TRUE : XML_FALSE);
  }
  if (in_expat_buffer > 0) {
    const auto n = in_expat_buffer;
    in_expat_buffer = 0;
    fed_total += n;
    return XML_ParseBuffer(parser, static_cast<int>(n), XML_FALSE);
  }
  const std::size_t n = std::min(input.size() - input_head, kChunk);
  fed_total += n;
  const auto status = XML_Parse(parser, input.data() + input_head, static_cast<int>(n), XML_FALSE);
  input_head += n;
  if (input_head == input.size()) {
    input.clear();
    input_head = 0;
    if (input.capacity() > kKeepInputCapacity) {
      std::string().swap(input);
    }
  }
  return status;
}

// One expat run over the next chunk (or the rest of a paused one); events land in `ready`, a
// failure ends the stream.
void StreamParser::Impl::parse_chunk() {
  const XML_Status status = run_expat();
  if (status == XML_STATUS_SUSPENDED) {
    suspended = true;
    return;
  }
  if (status == XML_STATUS_ERROR) {
    if (terminal && !failure) {
      return;  // our own stop after </stream:stream>
    }
    terminal = true;
    const XML_Error code = XML_GetErrorCode(parser);
    failure = failure && code == XML_ERROR_ABORTED ? *failure : map_expat_error(code);
    ready.push_back(*failure);
    return;
  }
  if (!terminal && fed_total - mark > limits.max_stanza_bytes) {
    // Every byte is consumed and the construct is still unfinished.
    terminal = true;
    failure = StreamFailure{StreamErrc::policy_violation, "stanza_too_large"};
    ready.push_back(*failure);
  }
}

StreamParser::StreamParser(ParserLimits limits) : impl_(std::make_unique<Impl>(limits)) {}
StreamParser::~StreamParser() = default;
StreamParser::StreamParser(StreamParser&&) noexcept = default;
StreamParser& StreamParser::operator=(StreamParser&&) noexcept = default;

void StreamParser::feed(std::string_view bytes) {
  auto& s = *impl_;
  if (s.terminal || bytes.empty()) {
    return;
  }
  if (s.parser == nullptr) {
    s.wake();
    if (s.terminal) {
      return;
    }
  }
  if (!s.suspended && s.in_expat_buffer == 0 && s.input.empty() && bytes.size() <= kChunk) {
    // Fast path: straight into expat's own buffer, no intermediate copy.
    if (void* buf = XML_GetBuffer(s.parser, static_cast<int>(bytes.size()))) {
      std::memcpy(buf, bytes.data(), bytes.size());
      s.in_expat_buffer = bytes.size();
      return;
    }
  }
  s.input.append(bytes);
}

std::optional<StreamEvent> StreamParser::next() {
  auto& s = *impl_;
  if (s.ready_head == s.ready.size()) {
    s.ready.clear();  // keeps its capacity for the next chunk
    s.ready_head = 0;
  }
  while (s.ready.empty() && !s.terminal &&
         (s.suspended || s.in_expat_buffer > 0 || !s.input.empty())) {
    s.parse_chunk();
  }
  if (s.ready_head == s.ready.size()) {
    return std::nullopt;
  }
  return std::move(s.ready[s.ready_head++]);
}

void StreamParser::restart() { impl_->reset(); }

bool StreamParser::hibernate() {
  auto& s = *impl_;
  if (s.parser == nullptr || s.terminal || s.suspended || s.depth != 1 || s.in_expat_buffer > 0 ||
      s.input_head != s.input.size() || s.mark != s.fed_total) {
    return false;
  }
  XML_ParserFree(s.parser);
  s.parser = nullptr;
  std::string().swap(s.input);
  s.input_head = 0;
  std::vector<Element*>().swap(s.open);
  s.root = Element();
  s.scope.compact();
  return true;
}

bool StreamParser::hibernating() const { return impl_->parser == nullptr; }

bool StreamParser::failed() const { return impl_->terminal && impl_->failure.has_value(); }

std::size_t StreamParser::pending_bytes() const {
  return static_cast<std::size_t>(impl_->fed_total - impl_->mark) +
         (impl_->input.size() - impl_->input_head) + impl_->in_expat_buffer;
}

std::size_t StreamParser::expat_bytes_in_use() { return expat_bytes_allocated(); }

std::size_t StreamParser::retained_bytes() const {
  return sizeof(Impl) + impl_->open.capacity() * sizeof(Element*) + impl_->input.capacity() +
         impl_->scope.retained_bytes() + impl_->header_name.capacity();
}

}  // namespace fedgate::xmpp
