#include "xmpp/codec/namespace_scope.hpp"

#include <expat.h>

#include "xmpp/codec/namespaces.hpp"

namespace fedgate::xmpp {
namespace {

constexpr std::string_view kNsXmlns = "http://www.w3.org/2000/xmlns/";

bool is_ascii_name_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

// Whether `local` (a run of XML name characters without a colon) may start a name: expat's own
// tables decide, by parsing "<local/>" (only for a non-ASCII first character, which is rare).
bool starts_a_name(std::string_view local) {
  if (static_cast<unsigned char>(local.front()) < 0x80) {
    return is_ascii_name_start(local.front());
  }
  std::string doc = "<";
  doc.append(local).append("/>");
  XML_Parser p = XML_ParserCreate("UTF-8");
  if (p == nullptr) {
    return false;
  }
  const bool ok = XML_Parse(p, doc.data(), static_cast<int>(doc.size()), XML_TRUE) == XML_STATUS_OK;
  XML_ParserFree(p);
  return ok;
}

}  // namespace

NsFault NamespaceScope::split(const char* name, QName& out) {
  const char* colon = nullptr;
  const char* end = name;
  for (; *end != '\0'; ++end) {
    if (*end == ':') {
      if (colon != nullptr) {
        return NsFault::not_a_qname;
      }
      colon = end;
    }
  }
  if (colon == nullptr) {
    out = {{}, std::string_view(name, static_cast<std::size_t>(end - name))};
    return NsFault::none;
  }
  if (colon == name || colon + 1 == end) {
    return NsFault::not_a_qname;
  }
  out = {std::string_view(name, static_cast<std::size_t>(colon - name)),
         std::string_view(colon + 1, static_cast<std::size_t>(end - colon - 1))};
  return starts_a_name(out.local) ? NsFault::none : NsFault::not_a_qname;
}

// Namespaces in XML 1.0 §3: xml is bound to its namespace only, xmlns is never declared, and
// neither namespace name is bound to anything else (nor made the default).
NsFault NamespaceScope::declare(const char* attribute_name, std::string_view uri, std::size_t depth,
                                std::size_t limit) {
  QName q;
  if (split(attribute_name, q) != NsFault::none) {
    return NsFault::not_a_qname;
  }
  const std::string_view prefix = q.prefix.empty() ? std::string_view() : q.local;
  if (prefix == "xmlns" || uri == kNsXmlns || ((prefix == "xml") != (uri == kNsXml))) {
    return NsFault::reserved_namespace;
  }
  if (!prefix.empty() && uri.empty()) {
    return NsFault::empty_prefix_binding;
  }
  if (prefix == "xml") {
    return NsFault::none;  // always bound (§3); declaring it changes nothing
  }
  if (in_scope_ >= limit) {
    return NsFault::too_many_bindings;
  }
  if (in_scope_ == bindings_.size()) {
    bindings_.emplace_back();
  }
  Binding& b = bindings_[in_scope_++];  // a reused slot keeps its strings' capacity
  b.prefix.assign(prefix);
  b.uri.assign(uri);
  b.depth = depth;
  return NsFault::none;
}

const std::string* NamespaceScope::find(std::string_view prefix) const {
  for (std::size_t i = in_scope_; i > 0; --i) {
    if (bindings_[i - 1].prefix == prefix) {
      return &bindings_[i - 1].uri;
    }
  }
  static const std::string kNone;
  static const std::string kXml(kNsXml);
  if (prefix.empty()) {
    return &kNone;
  }
  return prefix == "xml" ? &kXml : nullptr;
}

const std::string* NamespaceScope::declared_at(std::string_view prefix, std::size_t depth) const {
  for (std::size_t i = in_scope_; i > 0 && bindings_[i - 1].depth >= depth; --i) {
    if (bindings_[i - 1].depth == depth && bindings_[i - 1].prefix == prefix) {
      return &bindings_[i - 1].uri;
    }
  }
  return nullptr;
}

std::size_t NamespaceScope::retained_bytes() const {
  std::size_t n = bindings_.capacity() * sizeof(Binding);
  for (const auto& b : bindings_) {
    n += b.prefix.capacity() > 15 ? b.prefix.capacity() + 1 : 0;
    n += b.uri.capacity() > 15 ? b.uri.capacity() + 1 : 0;
  }
  return n;
}

}  // namespace fedgate::xmpp
