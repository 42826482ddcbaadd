#include "xmpp/codec/element.hpp"

#include "xmpp/codec/namespaces.hpp"

namespace fedgate::xmpp {
namespace {

// The entity for `c`, or "" when it is written as is. Literal tab/newline in attributes and
// CR anywhere would be normalised away by the reader (XML 1.0 §2.11, §3.3.3): character
// references keep them intact.
constexpr std::string_view entity_for(char c, bool attribute) {
  switch (c) {
    case '&':
      return "&amp;";
    case '<':
      return "&lt;";
    case '>':
      return "&gt;";
    case '\r':
      return "&#13;";
    case '\'':
      return attribute ? "&apos;" : "";
    case '"':
      return attribute ? "&quot;" : "";
    case '\t':
      return attribute ? "&#9;" : "";
    case '\n':
      return attribute ? "&#10;" : "";
    default:
      return "";
  }
}

template <bool kAttribute>
void append_escaped(std::string& out, std::string_view s) {
  std::size_t run = 0;  // start of the pending run of plain characters
  for (std::size_t i = 0; i < s.size(); ++i) {
    const std::string_view rep = entity_for(s[i], kAttribute);
    if (!rep.empty()) {
      out.append(s.data() + run, i - run);
      out.append(rep);
      run = i + 1;
    }
  }
  out.append(s.data() + run, s.size() - run);
}

// The prefix `e` is written with: "stream:" / "db:" when the stream declared them, else "".
std::string_view prefix_of(const Element& e, const SerializeContext& ctx) {
  if (ctx.stream_prefix && e.ns == kNsStreams) {
    return "stream:";
  }
  if (ctx.db_prefix && e.ns == kNsDialback) {
    return "db:";
  }
  return {};
}

void append_attributes(std::string& out, const Element& e) {
  int prefix_count = 0;
  for (const auto& a : e.attributes) {
    out.push_back(' ');
    if (a.ns == kNsXml) {
      out.append("xml:");
    } else if (!a.ns.empty()) {
      // A namespaced attribute: declare a private prefix for it on this element.
      std::string prefix(1, 'a');
      prefix += std::to_string(prefix_count++);
      out.append("xmlns:").append(prefix).append("='");
      append_escaped<true>(out, a.ns);
      out.append("' ").append(prefix).push_back(':');
    }
    out.append(a.name).append("='");
    append_escaped<true>(out, a.value);
    out.push_back('\'');
  }
}

void serialize_into(const Element& e, std::string& out, const SerializeContext& ctx) {
  if (e.is_text()) {
    append_escaped<false>(out, e.text);
    return;
  }
  const std::string_view prefix = prefix_of(e, ctx);
  const bool declare = prefix.empty() && e.ns != ctx.default_ns;
  out.push_back('<');
  out.append(prefix).append(e.name);
  if (declare) {
    out.append(" xmlns='");
    append_escaped<true>(out, e.ns);
    out.push_back('\'');
  }
  append_attributes(out, e);
  if (e.children.empty() && e.text.empty()) {
    out.append("/>");
    return;
  }
  out.push_back('>');
  append_escaped<false>(out, e.text);
  SerializeContext inner = ctx;
  inner.default_ns = declare ? std::string_view(e.ns) : ctx.default_ns;
  for (const auto& c : e.children) {
    serialize_into(c, out, inner);
  }
  out.append("</").append(prefix).append(e.name).push_back('>');
}

}  // namespace

Element Element::text_node(std::string t) {
  Element e;
  e.text = std::move(t);
  return e;
}

std::optional<std::string_view> Element::attribute(std::string_view a) const {
  for (const auto& at : attributes) {
    if (at.name == a && at.ns.empty()) {
      return std::string_view(at.value);
    }
  }
  return std::nullopt;
}

Element& Element::set(std::string_view a, std::string_view value) {
  for (auto& at : attributes) {
    if (at.name == a && at.ns.empty()) {
      at.value.assign(value);
      return *this;
    }
  }
  attributes.push_back({std::string(a), std::string(value), {}});
  return *this;
}

void Element::erase_attribute(std::string_view a) {
  std::erase_if(attributes, [a](const Attribute& at) { return at.name == a && at.ns.empty(); });
}

const Element* Element::child(std::string_view n, std::string_view s) const {
  for (const auto& c : children) {
    if (!c.is_text() && c.name == n && (s.empty() || c.ns == s)) {
      return &c;
    }
  }
  return nullptr;
}

Element* Element::child(std::string_view n, std::string_view s) {
  return const_cast<Element*>(static_cast<const Element*>(this)->child(n, s));
}

Element& Element::add_child(Element e) {
  children.push_back(std::move(e));
  return children.back();
}

Element& Element::add_text(std::string_view t) {
  if (children.empty()) {
    text.append(t);
  } else if (children.back().is_text()) {
    children.back().text.append(t);
  } else {
    children.push_back(text_node(std::string(t)));
  }
  return *this;
}

std::string Element::text_content() const {
  std::string out = text;
  for (const auto& c : children) {
    if (c.is_text()) {
      out.append(c.text);
    }
  }
  return out;
}

std::size_t Element::element_count() const {
  std::size_t n = 0;
  for (const auto& c : children) {
    n += c.is_text() ? 0 : 1;
  }
  return n;
}

void serialize(const Element& e, std::string& out, const SerializeContext& ctx) {
  serialize_into(e, out, ctx);
}

std::string to_string(const Element& e, const SerializeContext& ctx) {
  std::string out;
  serialize_into(e, out, ctx);
  return out;
}

void append_escaped_text(std::string& out, std::string_view text) {
  append_escaped<false>(out, text);
}

void append_escaped_attribute(std::string& out, std::string_view value) {
  append_escaped<true>(out, value);
}

}  // namespace fedgate::xmpp
