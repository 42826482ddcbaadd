// Test support (owned by sip_codec's tests): the msrtc categories reader as it was written
// over the XmlElement tree, kept as the reference the streaming reader must agree with
// (msrtc_categories_test and the body fuzz target compare the two on every document).
#pragma once

#include <charconv>
#include <string>

#include "sip/codec/msrtc_categories.hpp"
#include "sip/codec/parse_error.hpp"
#include "sip/codec/xml_dom.hpp"

namespace fedgate::sip::reference {

inline std::string str(std::optional<std::string_view> v) { return std::string(v.value_or("")); }

inline std::optional<MsrtcState> read_state(const XmlElement& el) {
  MsrtcState s;
  s.type = str(el.attribute("type"));
  s.manual = el.attribute("manual") == "true";
  if (const XmlElement* a = el.child("availability")) {
    std::uint32_t n = 0;
    auto [p, ec] = std::from_chars(a->text.data(), a->text.data() + a->text.size(), n);
    if (ec != std::errc{} || p != a->text.data() + a->text.size()) {
      return std::nullopt;
    }
    s.availability = n;
  }
  if (const XmlElement* a = el.child("activity")) {
    s.activity_token = str(a->attribute("token"));
  }
  s.device = std::string(el.child_text("device"));
  return s;
}

inline MsrtcContactCard read_card(const XmlElement& el) {
  MsrtcContactCard c;
  if (const XmlElement* identity = el.child("identity")) {
    if (const XmlElement* name = identity->child("name")) {
      c.display_name = std::string(name->child_text("displayName"));
    }
    c.email = std::string(identity->child_text("email"));
  }
  c.title = std::string(el.child_text("title"));
  c.company = std::string(el.child_text("company"));
  return c;
}

inline std::optional<MsrtcCategory> read_category(const XmlElement& el) {
  MsrtcCategory c;
  c.name = str(el.attribute("name"));
  c.instance = str(el.attribute("instance"));
  c.container = str(el.attribute("container"));
  c.publish_time = str(el.attribute("publishTime"));
  if (const XmlElement* s = el.child(kMsrtcStateNs, "state")) {
    c.state = read_state(*s);
    if (!c.state) {
      return std::nullopt;
    }
  }
  if (const XmlElement* n = el.child(kMsrtcNoteNs, "note")) {
    MsrtcNote note;
    if (const XmlElement* body = n->child("body")) {
      note.type = str(body->attribute("type"));
      note.text = body->text;
    }
    c.note = note;
  }
  if (const XmlElement* card = el.child(kMsrtcContactCardNs, "contactCard")) {
    c.contact_card = read_card(*card);
  }
  return c;
}

inline result<MsrtcCategories> parse_msrtc_categories(std::string_view xml,
                                                      const XmlLimits& limits = {}) {
  auto root = parse_xml(xml, limits);
  if (!root) {
    return root.error();
  }
  if (root->name != "categories" || root->ns != kMsrtcCategoriesNs) {
    return make_error_code(ParseErrc::bad_body);
  }
  MsrtcCategories doc;
  doc.uri = str(root->attribute("uri"));
  for (const auto& el : root->children) {
    if (el.name == "category" && el.ns == kMsrtcCategoriesNs) {
      auto c = read_category(el);
      if (!c) {
        return make_error_code(ParseErrc::bad_body);
      }
      doc.categories.push_back(std::move(*c));
    }
  }
  return doc;
}

}  // namespace fedgate::sip::reference
