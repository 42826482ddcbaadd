// expat-backed XML tree for SIP bodies, built over the reused restricted parser (xml_sax.hpp).
#include "sip/codec/xml_dom.hpp"

#include "sip/codec/parse_error.hpp"
#include "sip/codec/xml_sax.hpp"

namespace fedgate::sip {
namespace {

class TreeBuilder final : public detail::XmlSaxHandler {
 public:
  XmlElement root;

  void start(std::string_view ns, std::string_view local, const char** attrs) override {
    XmlElement* el = &root;
    if (!stack_.empty()) {
      el = &stack_.back()->children.emplace_back();
    }
    el->ns.assign(ns);
    el->name.assign(local);
    for (int i = 0; attrs[i] != nullptr; i += 2) {
      el->attributes.emplace_back(detail::xml_local_name(attrs[i]), attrs[i + 1]);
    }
    stack_.push_back(el);
  }
  void end() override { stack_.pop_back(); }
  void text(std::string_view piece) override { stack_.back()->text.append(piece); }

 private:
  std::vector<XmlElement*> stack_;
};

}  // namespace

result<XmlElement> parse_xml(std::string_view document, const XmlLimits& limits) {
  TreeBuilder b;
  if (ParseErrc e = detail::run_xml_sax(document, limits, b); e != ParseErrc{}) {
    return make_error_code(e);
  }
  return std::move(b.root);
}

const XmlElement* XmlElement::child(std::string_view local) const {
  for (const auto& c : children) {
    if (c.name == local) {
      return &c;
    }
  }
  return nullptr;
}

const XmlElement* XmlElement::child(std::string_view ns_uri, std::string_view local) const {
  for (const auto& c : children) {
    if (c.name == local && c.ns == ns_uri) {
      return &c;
    }
  }
  return nullptr;
}

std::optional<std::string_view> XmlElement::attribute(std::string_view local) const {
  for (const auto& [k, v] : attributes) {
    if (k == local) {
      return std::string_view(v);
    }
  }
  return std::nullopt;
}

std::string_view XmlElement::child_text(std::string_view local) const {
  const XmlElement* c = child(local);
  return c == nullptr ? std::string_view{} : std::string_view(c->text);
}

void append_xml_escaped(std::string& out, std::string_view text) {
  for (char ch : text) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out.push_back(ch);
    }
  }
}

}  // namespace fedgate::sip
