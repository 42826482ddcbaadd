// expat-backed XML tree for SIP bodies. DTDs and entity declarations stop the parser.
#include "sip/codec/xml_dom.hpp"

#include <expat.h>

#include <memory>

#include "sip/codec/parse_error.hpp"

namespace fedgate::sip {
namespace {

constexpr char kNsSeparator = '\x01';

struct Builder {
  XML_Parser parser = nullptr;
  const XmlLimits* limits = nullptr;
  XmlElement root;
  std::vector<XmlElement*> stack;
  std::size_t elements = 0;
  ParseErrc error{};

  void stop(ParseErrc e) {
    if (error == ParseErrc{}) {
      error = e;
    }
    XML_StopParser(parser, XML_FALSE);
  }
};

void split_name(const char* qualified, std::string& ns, std::string& local) {
  std::string_view q(qualified);
  std::size_t sep = q.find(kNsSeparator);
  if (sep == std::string_view::npos) {
    ns.clear();
    local.assign(q);
  } else {
    ns.assign(q.substr(0, sep));
    local.assign(q.substr(sep + 1));
  }
}

void on_start(void* data, const XML_Char* name, const XML_Char** attrs) {
  auto* b = static_cast<Builder*>(data);
  if (b->stack.size() >= b->limits->max_depth || ++b->elements > b->limits->max_elements) {
    b->stop(ParseErrc::xml_too_deep);
    return;
  }
  XmlElement* el = &b->root;
  if (!b->stack.empty()) {
    b->stack.back()->children.emplace_back();
    el = &b->stack.back()->children.back();
  }
  split_name(name, el->ns, el->name);
  std::string ignored_ns;
  for (int i = 0; attrs[i] != nullptr; i += 2) {
    std::string local;
    split_name(attrs[i], ignored_ns, local);
    el->attributes.emplace_back(std::move(local), attrs[i + 1]);
  }
  b->stack.push_back(el);
}

void on_end(void* data, const XML_Char*) {
  auto* b = static_cast<Builder*>(data);
  if (!b->stack.empty()) {
    b->stack.pop_back();
  }
}

void on_text(void* data, const XML_Char* s, int len) {
  auto* b = static_cast<Builder*>(data);
  if (!b->stack.empty()) {
    b->stack.back()->text.append(s, static_cast<std::size_t>(len));
  }
}

void on_doctype(void* data, const XML_Char*, const XML_Char*, const XML_Char*, int) {
  static_cast<Builder*>(data)->stop(ParseErrc::bad_xml);
}

void on_entity(void* data, const XML_Char*, int, const XML_Char*, int, const XML_Char*,
               const XML_Char*, const XML_Char*, const XML_Char*) {
  static_cast<Builder*>(data)->stop(ParseErrc::bad_xml);
}

}  // namespace

result<XmlElement> parse_xml(std::string_view document, const XmlLimits& limits) {
  if (document.size() > limits.max_bytes) {
    return make_error_code(ParseErrc::xml_too_deep);
  }
  std::unique_ptr<XML_ParserStruct, decltype(&XML_ParserFree)> parser(
      XML_ParserCreateNS(nullptr, kNsSeparator), &XML_ParserFree);
  if (!parser) {
    return make_error_code(ParseErrc::bad_xml);
  }
  Builder b;
  b.parser = parser.get();
  b.limits = &limits;
  XML_SetUserData(parser.get(), &b);
  XML_SetElementHandler(parser.get(), on_start, on_end);
  XML_SetCharacterDataHandler(parser.get(), on_text);
  XML_SetStartDoctypeDeclHandler(parser.get(), on_doctype);
  XML_SetEntityDeclHandler(parser.get(), on_entity);
  auto status = XML_Parse(parser.get(), document.data(), static_cast<int>(document.size()), 1);
  if (b.error != ParseErrc{}) {
    return make_error_code(b.error);
  }
  if (status != XML_STATUS_OK || b.elements == 0) {
    return make_error_code(ParseErrc::bad_xml);
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
