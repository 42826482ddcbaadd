#include <algorithm>
#include <string_view>

#include "xmpp/codec/namespaces.hpp"
#include "xmpp/codec/stream_parser_impl.hpp"

namespace fedgate::xmpp {
namespace {

bool is_xml_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

StreamFailure map_ns_fault(NsFault fault) {
  switch (fault) {
    case NsFault::unbound_prefix:
      return {StreamErrc::bad_namespace_prefix, "unbound_prefix"};
    case NsFault::too_many_bindings:
      return {StreamErrc::policy_violation, "too_many_namespaces"};
    case NsFault::reserved_namespace:
      return {StreamErrc::not_well_formed, "reserved_namespace"};
    case NsFault::empty_prefix_binding:
      return {StreamErrc::not_well_formed, "empty_prefix_binding"};
    case NsFault::duplicate_attribute:
      return {StreamErrc::not_well_formed, "duplicate_attribute"};
    default:
      return {StreamErrc::not_well_formed, "not_a_qname"};
  }
}

// §6.3: no two attributes of an element with the same expanded name. Only prefixed ones can
// clash (expat already refused two with the same written name).
NsFault unique_names(const std::vector<Attribute>& attributes) {
  for (auto a = attributes.begin(); a != attributes.end(); ++a) {
    for (auto b = a + 1; !a->ns.empty() && b != attributes.end(); ++b) {
      if (a->name == b->name && a->ns == b->ns) {
        return NsFault::duplicate_attribute;
      }
    }
  }
  return NsFault::none;
}

// The header's attributes (RFC 6120 §4.7) and the declarations it made (§4.8).
StreamHeader make_header(const std::vector<Attribute>& attributes, const NamespaceScope& scope) {
  StreamHeader h;
  for (const auto& a : attributes) {
    if (a.ns == kNsXml && a.name == "lang") {
      h.lang = a.value;
    } else if (!a.ns.empty()) {
      continue;
    } else if (a.name == "from") {
      h.from = a.value;
    } else if (a.name == "to") {
      h.to = a.value;
    } else if (a.name == "id") {
      h.id = a.value;
    } else if (a.name == "version") {
      h.version = a.value;
    }
  }
  const std::string* content = scope.declared_at("", 1);
  h.content_ns = content != nullptr ? *content : std::string();
  const std::string* db = scope.declared_at("db", 1);
  h.dialback_ns = db != nullptr && *db == kNsDialback;
  return h;
}

}  // namespace

void StreamParser::Impl::fail(NsFault fault) {
  auto f = map_ns_fault(fault);
  fail(f.condition, std::move(f.reason));
}

// Binds the namespace declarations among `atts` (they apply to the element's own name and
// attributes, wherever they stand) and counts the other attributes; false after a failure.
bool StreamParser::Impl::declare(const char** atts, std::size_t at_depth, std::size_t& attributes) {
  attributes = 0;
  for (const char** a = atts; *a != nullptr; a += 2) {
    if (!NamespaceScope::is_declaration(*a)) {
      ++attributes;
    } else if (auto f = scope.declare(a[0], a[1], at_depth, limits.max_namespace_declarations);
               f != NsFault::none) {
      fail(f);
      return false;
    }
  }
  return true;
}

// The `n` attributes among `atts` that are not declarations, names resolved, in order.
NsFault StreamParser::Impl::resolve_attributes(const char** atts, std::size_t n,
                                               std::vector<Attribute>& out) {
  out.resize(n);
  auto at = out.begin();
  std::size_t prefixed = 0;
  for (const char** a = atts; *a != nullptr; a += 2) {
    if (NamespaceScope::is_declaration(*a)) {
      continue;
    }
    QName q;
    if (auto f = NamespaceScope::split(*a, q); f != NsFault::none) {
      return f;
    }
    at->name.assign(q.local);
    at->value.assign(a[1]);
    if (!q.prefix.empty()) {
      const std::string* uri = scope.find(q.prefix);
      if (uri == nullptr) {
        return NsFault::unbound_prefix;
      }
      at->ns = *uri;
      ++prefixed;
    }
    ++at;
  }
  return prefixed > 1 ? unique_names(out) : NsFault::none;
}

// The namespace of element `name`, split into `q`; nullptr after a failure.
const std::string* StreamParser::Impl::resolve_name(const char* name, QName& q) {
  const NsFault bad = NamespaceScope::split(name, q);
  const std::string* ns = bad == NsFault::none ? scope.find(q.prefix) : nullptr;
  if (ns == nullptr) {
    fail(bad != NsFault::none ? bad : NsFault::unbound_prefix);
  }
  return ns;
}

void StreamParser::Impl::open_stream(const char* name, const char** atts) {
  if (failure) {
    return;  // expat may still deliver events of the token it stopped in
  }
  if (resuming) {  // the replayed header of a woken parser: the peer's was reported already
    depth = 1;
    return;
  }
  std::size_t n = 0;
  QName q;
  std::vector<Attribute> attributes;
  if (!declare(atts, 1, n)) {
    return;
  }
  const std::string* ns = resolve_name(name, q);
  if (ns == nullptr) {
    return;
  }
  if (q.local != "stream" || *ns != kNsStreams) {
    // RFC 6120 §4.9.3.10 (wrong stream namespace) / §4.9.1.2 (not a stream at all).
    fail(q.local == "stream" ? StreamErrc::invalid_namespace : StreamErrc::bad_format,
         "not_a_stream_header");
    return;
  }
  if (auto f = resolve_attributes(atts, n, attributes); f != NsFault::none) {
    fail(f);
    return;
  }
  depth = 1;
  header_name = name;
  emit(make_header(attributes, scope));
}

void StreamParser::Impl::open_element(const char* name, const char** atts) {
  if (failure) {
    return;
  }
  std::size_t n = 0;
  if (depth > limits.max_depth) {
    fail(StreamErrc::policy_violation, "too_deep");
    return;
  }
  if (!declare(atts, depth + 1, n)) {
    return;
  }
  if (n > limits.max_attributes) {
    fail(StreamErrc::policy_violation, "too_many_attributes");
    return;
  }
  QName q;
  const std::string* ns = resolve_name(name, q);
  if (ns == nullptr) {
    return;
  }
  Element& e = new_element();
  e.name.assign(q.local);
  e.ns = *ns;
  if (auto f = resolve_attributes(atts, n, e.attributes); f != NsFault::none) {
    fail(f);
    return;
  }
  open.push_back(&e);
  ++depth;
}

// Where the element being opened is built: the root, or in place as the last child of its
// parent (whose children do not change while this element is open).
Element& StreamParser::Impl::new_element() {
  if (depth == 1) {
    mark = byte_index();
    root = Element();
    return root;
  }
  auto& siblings = open.back()->children;
  if (siblings.empty()) {
    siblings.reserve(4);  // one allocation for the usual handful of children
  }
  return siblings.emplace_back();
}

// The stanza size limit is checked when the top-level element ends and after each chunk
// handed to expat (parse_chunk, at most kChunk bytes late), not per element: that keeps
// assembly cheap.
void StreamParser::Impl::close_element() {
  if (failure || depth == 0) {
    return;  // e.g. the end of an empty root tag we already refused
  }
  scope.leave(depth);  // the declarations of the element that ends
  --depth;
  if (depth == 0) {
    terminal = true;
    ready.emplace_back(StreamClosed{});
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

}  // namespace fedgate::xmpp
