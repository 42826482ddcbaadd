#include "xmpp/codec/stream_parser.hpp"

#include <expat.h>
#include <strings.h>

#include <algorithm>
#include <cstring>

#include "xmpp/codec/element.hpp"
#include "xmpp/codec/expat_memory.hpp"
#include "xmpp/codec/namespaces.hpp"

namespace fedgate::xmpp {
namespace {

// Bytes handed to expat at once. Small, because expat's buffer keeps (about twice) the size
// of the largest chunk for the parser's lifetime: 4 KiB keeps an idle parser near 15 kB even
// after 16 KiB TLS records. It also lets the size limit be checked between chunks.
constexpr std::size_t kChunk = 4 * 1024;
// `input` gives back capacity above this once drained, so idle streams stay small.
constexpr std::size_t kKeepInputCapacity = 4 * 1024;
// Above this many bytes of unfinished construct, expat's reparse deferral (the
// CVE-2023-52425 fix) is switched on so that a huge start tag trickling in byte by byte costs
// linear, not quadratic, time. Below it deferral stays off: it would hold back small tokens
// until more bytes arrive, which a request/response protocol cannot afford.
constexpr std::size_t kDeferReparseAbove = 64 * 1024;
constexpr char kSeparator = ' ';  // cannot occur in a local name

// "uri local" -> (uri, local); "local" -> ("", local). One pass over the name; std::string
// keeps names and the usual namespaces of up to 15 bytes inline, so most cost no allocation.
void split_name(const char* qname, std::string& ns, std::string& local) {
  const char* sep = nullptr;
  const char* end = qname;
  for (; *end != '\0'; ++end) {
    if (*end == kSeparator) {
      sep = end;
    }
  }
  if (sep == nullptr) {
    ns.clear();
    local.assign(qname, static_cast<std::size_t>(end - qname));
  } else {
    ns.assign(qname, static_cast<std::size_t>(sep - qname));
    local.assign(sep + 1, static_cast<std::size_t>(end - sep - 1));
  }
}

bool is_xml_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

StreamFailure map_expat_error(XML_Error code) {
  switch (code) {
    case XML_ERROR_UNDEFINED_ENTITY:
    case XML_ERROR_RECURSIVE_ENTITY_REF:
    case XML_ERROR_BINARY_ENTITY_REF:
    case XML_ERROR_ATTRIBUTE_EXTERNAL_ENTITY_REF:
      return {StreamErrc::restricted_xml, "entity_reference"};
    case XML_ERROR_UNBOUND_PREFIX:
      return {StreamErrc::bad_namespace_prefix, "unbound_prefix"};
    case XML_ERROR_UNKNOWN_ENCODING:
    case XML_ERROR_INCORRECT_ENCODING:
      return {StreamErrc::unsupported_encoding, "encoding"};
    default:
      return {StreamErrc::not_well_formed, "expat:" + std::to_string(static_cast<int>(code))};
  }
}

}  // namespace

struct StreamParser::Impl {
  XML_Parser parser = nullptr;
  ParserLimits limits;
  Element root;                // the top-level element being assembled
  std::vector<Element*> open;  // open elements: root, then each open descendant
  std::size_t depth = 0;       // 0: before the header; 1: inside <stream>; n: n-1 elements open
  StreamHeader header;
  std::vector<StreamEvent> ready;  // events parsed but not yet returned, from ready_head on
  std::size_t ready_head = 0;
  std::optional<StreamFailure> failure;
  bool terminal = false;
  bool deferral = false;            // expat's reparse deferral currently enabled
  std::size_t in_expat_buffer = 0;  // bytes placed with XML_GetBuffer, not yet parsed
  std::string input;                // bytes not yet handed to expat, from input_head on
  std::size_t input_head = 0;
  std::uint64_t fed_total = 0;  // bytes handed to expat since the last restart
  std::uint64_t mark = 0;       // where the current unfinished construct starts
  // Hibernation: the header's namespace declarations (prefix, uri) to replay on waking, and
  // the difference between a woken parser's byte index and the stream's.
  std::vector<std::pair<std::string, std::string>> declarations;
  std::int64_t index_offset = 0;
  bool resuming = false;  // the replayed header is being parsed

  explicit Impl(ParserLimits l) : limits(l) {
    parser = XML_ParserCreate_MM("UTF-8", &counting_memory_suite(), &kSeparator);
    install();
  }
  ~Impl() { XML_ParserFree(parser); }

  void install();
  void wake();
  std::string resume_header() const;
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
  void emit(StreamEvent event) {
    ready.push_back(std::move(event));
    mark = event_end();
  }
  void open_stream(const char* name, const char** atts);
  void open_element(const char* name, const char** atts);
  void close_element();
  void characters(const char* s, int len);
  void parse_chunk();
  XML_Status run_expat();
};

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
  XML_SetNamespaceDeclHandler(
      parser,
      [](void* ud, const XML_Char* prefix, const XML_Char* uri) {
        auto& s = *static_cast<Impl*>(ud);
        if (s.depth != 0 || s.resuming) {
          return;
        }
        s.declarations.emplace_back(prefix != nullptr ? prefix : "", uri != nullptr ? uri : "");
        if (prefix == nullptr) {
          s.header.content_ns = uri != nullptr ? uri : "";
        } else if (std::strcmp(prefix, "db") == 0 && uri != nullptr && kNsDialback == uri) {
          s.header.dialback_ns = true;
        }
      },
      nullptr);
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
    parser = XML_ParserCreate_MM("UTF-8", &counting_memory_suite(), &kSeparator);
  } else {
    XML_ParserReset(parser, "UTF-8");
  }
  install();
  declarations.clear();
  index_offset = 0;
  resuming = false;
  if (open.capacity() > 64) {
    std::vector<Element*>().swap(open);
  }
  open.clear();
  root = Element();
  depth = 0;
  header = {};
  ready.clear();
  ready_head = 0;
  failure.reset();
  terminal = false;
  in_expat_buffer = 0;
  std::string().swap(input);
  input_head = 0;
  fed_total = mark = 0;
}

void StreamParser::Impl::open_stream(const char* name, const char** atts) {
  if (failure) {
    return;  // expat may still deliver events of the token it stopped in
  }
  if (resuming) {  // the replayed header of a woken parser: the peer's was reported already
    depth = 1;
    return;
  }
  std::string element_ns, local;
  split_name(name, element_ns, local);
  if (local != "stream" || element_ns != kNsStreams) {
    // RFC 6120 §4.9.3.10 (wrong stream namespace) / §4.9.1.2 (not a stream at all).
    fail(local == "stream" ? StreamErrc::invalid_namespace : StreamErrc::bad_format,
         "not_a_stream_header");
    return;
  }
  std::string attr_ns, attr;
  for (const char** a = atts; *a != nullptr; a += 2) {
    split_name(a[0], attr_ns, attr);
    if (attr_ns == kNsXml && attr == "lang") {
      header.lang = a[1];
    } else if (!attr_ns.empty()) {
      continue;
    } else if (attr == "from") {
      header.from = a[1];
    } else if (attr == "to") {
      header.to = a[1];
    } else if (attr == "id") {
      header.id = a[1];
    } else if (attr == "version") {
      header.version = a[1];
    }
  }
  depth = 1;
  emit(std::move(header));
  header = {};
}

void StreamParser::Impl::open_element(const char* name, const char** atts) {
  if (failure) {
    return;
  }
  if (depth > limits.max_depth) {
    fail(StreamErrc::policy_violation, "too_deep");
    return;
  }
  std::size_t n = 0;
  while (atts[2 * n] != nullptr) {
    ++n;
  }
  if (n > limits.max_attributes) {
    fail(StreamErrc::policy_violation, "too_many_attributes");
    return;
  }
  Element* e = nullptr;
  if (depth == 1) {
    mark = byte_index();
    root = Element();
    e = &root;
  } else {
    // Built in place: the parent's children do not change while this element is open.
    auto& siblings = open.back()->children;
    if (siblings.empty()) {
      siblings.reserve(4);  // one allocation for the usual handful of children
    }
    e = &siblings.emplace_back();
  }
  open.push_back(e);
  split_name(name, e->ns, e->name);
  e->attributes.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    Attribute& a = e->attributes[i];
    split_name(atts[2 * i], a.ns, a.name);
    a.value.assign(atts[2 * i + 1]);
  }
  ++depth;
}

// The stanza size limit is checked when the top-level element ends and after each chunk
// handed to expat (parse_chunk, at most kChunk bytes late), not per element: that keeps
// assembly cheap.
void StreamParser::Impl::close_element() {
  if (failure || depth == 0) {
    return;  // e.g. the end of an empty root tag we already refused
  }
  --depth;
  if (depth == 0) {
    terminal = true;
    emit(StreamClosed{});
    XML_StopParser(parser, XML_FALSE);  // nothing after </stream:stream> is ours to parse
    return;
  }
  open.pop_back();
  if (depth == 1) {
    if (event_end() - mark > limits.max_stanza_bytes) {
      fail(StreamErrc::policy_violation, "stanza_too_large");
      return;
    }
    emit(std::move(root));
  }
}

void StreamParser::Impl::characters(const char* s, int len) {
  if (failure) {
    return;
  }
  const std::string_view text(s, static_cast<std::size_t>(len));
  if (depth <= 1) {
    // Between top-level elements only whitespace (keep-alives) may appear.
    if (!std::all_of(text.begin(), text.end(), is_xml_space)) {
      fail(StreamErrc::bad_format, "text_at_stream_level");
    }
    mark = event_end();
    return;
  }
  Element& current = *open.back();
  std::string* run = &current.text;  // data before the first child stays in `text`
  if (!current.children.empty()) {
    if (!current.children.back().is_text()) {
      current.children.push_back(Element::text_node({}));
    }
    run = &current.children.back().text;
  }
  run->append(text);
  if (run->size() > limits.max_text_bytes) {
    fail(StreamErrc::policy_violation, "text_too_large");
  }
}

// "<stream:stream xmlns:stream='...' xmlns='jabber:server' ...>": the declarations the peer's
// header made, so that the woken parser resolves prefixes exactly as the old one did.
std::string StreamParser::Impl::resume_header() const {
  std::string h = "<stream";
  for (const auto& [prefix, uri] : declarations) {
    if (uri == kNsStreams && !prefix.empty()) {
      h = "<" + prefix + ":stream";
      break;
    }
  }
  for (const auto& [prefix, uri] : declarations) {
    h += prefix.empty() ? std::string(" xmlns='") : " xmlns:" + prefix + "='";
    append_escaped_attribute(h, uri);
    h += '\'';
  }
  h += '>';
  return h;
}

void StreamParser::Impl::wake() {
  parser = XML_ParserCreate_MM("UTF-8", &counting_memory_suite(), &kSeparator);
  if (parser == nullptr) {
    terminal = true;
    failure = StreamFailure{StreamErrc::resource_constraint, "out_of_memory"};
    ready.push_back(*failure);
    return;
  }
  install();
  const std::string header = resume_header();
  index_offset = static_cast<std::int64_t>(fed_total) - static_cast<std::int64_t>(header.size());
  resuming = true;
  depth = 0;  // open_stream() takes the replayed header and sets it back to 1
  XML_Parse(parser, header.data(), static_cast<int>(header.size()), XML_FALSE);
  resuming = false;
}

XML_Status StreamParser::Impl::run_expat() {
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

// One expat run over the next chunk; events land in `ready`, a failure ends the stream.
void StreamParser::Impl::parse_chunk() {
  const XML_Status status = run_expat();
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
  if (s.in_expat_buffer == 0 && s.input.empty() && bytes.size() <= kChunk) {
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
  while (s.ready.empty() && !s.terminal && (s.in_expat_buffer > 0 || !s.input.empty())) {
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
  if (s.parser == nullptr || s.terminal || s.depth != 1 || s.in_expat_buffer > 0 ||
      s.input_head != s.input.size() || s.mark != s.fed_total) {
    return false;
  }
  XML_ParserFree(s.parser);
  s.parser = nullptr;
  std::string().swap(s.input);
  s.input_head = 0;
  std::vector<Element*>().swap(s.open);
  s.root = Element();
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
  return sizeof(Impl) + impl_->open.capacity() * sizeof(Element*) + impl_->input.capacity();
}

}  // namespace fedgate::xmpp
