// Element: an owned XML element tree (name, namespace, attributes, children, text) — the
// value every stanza and stream-level element is parsed into. Owned by xmpp_codec; a plain
// value, used on any executor. Serialisation escapes per XML 1.0 §2.4 and declares namespaces.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fedgate::xmpp {

struct Attribute {
  std::string name;  // local name
  std::string value;
  std::string ns;  // empty for unqualified attributes (nearly all); kNsXml for xml:lang
  friend bool operator==(const Attribute&, const Attribute&) = default;
};

// Character data: `text` holds the data that comes before the first child element (for the
// usual leaf such as <body>, all of it, with no extra node). Data after a child element — mixed
// content — is a text node: an Element with an empty name whose `text` holds it, kept in
// order in `children`.
struct Element {
  std::string name;
  std::string ns;
  std::vector<Attribute> attributes;
  std::vector<Element> children;
  std::string text;

  Element() = default;
  Element(std::string name_, std::string ns_) : name(std::move(name_)), ns(std::move(ns_)) {}
  static Element text_node(std::string text);

  bool is_text() const { return name.empty(); }
  // The value of the unqualified attribute `attr`, or nullopt.
  std::optional<std::string_view> attribute(std::string_view attr) const;
  // The value of `attr`, or "" when absent.
  std::string_view attr(std::string_view attr) const { return attribute(attr).value_or(""); }
  // Sets (replaces) an unqualified attribute; returns *this for chaining.
  Element& set(std::string_view attr, std::string_view value);
  void erase_attribute(std::string_view attr);
  // First child element with this name and namespace (any namespace when ns_ is empty).
  const Element* child(std::string_view name_, std::string_view ns_ = {}) const;
  Element* child(std::string_view name_, std::string_view ns_ = {});
  Element& add_child(Element e);
  Element& add_text(std::string_view t);
  // All direct character data: `text`, then the text nodes in order.
  std::string text_content() const;
  // Number of child elements (text nodes excluded).
  std::size_t element_count() const;

  friend bool operator==(const Element&, const Element&) = default;
};

// How the enclosing stream declared namespaces: elements in `default_ns` get no xmlns, and
// elements in the streams / dialback namespaces use the stream:/db: prefixes the header
// declared (RFC 6120 §4.8.5, XEP-0220 §2.1).
struct SerializeContext {
  std::string_view default_ns;
  bool stream_prefix = false;
  bool db_prefix = false;
};

// Appends the XML of `e` to `out`.
void serialize(const Element& e, std::string& out, const SerializeContext& ctx = {});
std::string to_string(const Element& e, const SerializeContext& ctx = {});

// XML 1.0 escaping: text escapes & < >, attribute values also ' and " (we quote with ').
void append_escaped_text(std::string& out, std::string_view text);
void append_escaped_attribute(std::string& out, std::string_view value);

}  // namespace fedgate::xmpp
