// msrtc-event-categories documents (MS-PRES §2.2.2.x): reading and writing.
#include "sip/codec/msrtc_categories.hpp"

#include <algorithm>
#include <charconv>

#include "sip/codec/parse_error.hpp"

namespace fedgate::sip {
namespace {

std::string str(std::optional<std::string_view> v) { return std::string(v.value_or("")); }

std::optional<MsrtcState> read_state(const XmlElement& el) {
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

MsrtcNote read_note(const XmlElement& el) {
  MsrtcNote n;
  if (const XmlElement* body = el.child("body")) {
    n.type = str(body->attribute("type"));
    n.text = body->text;
  }
  return n;
}

MsrtcContactCard read_card(const XmlElement& el) {
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

result<MsrtcCategory> read_category(const XmlElement& el) {
  MsrtcCategory c;
  c.name = str(el.attribute("name"));
  c.instance = str(el.attribute("instance"));
  c.container = str(el.attribute("container"));
  c.publish_time = str(el.attribute("publishTime"));
  if (const XmlElement* s = el.child(kMsrtcStateNs, "state")) {
    c.state = read_state(*s);
    if (!c.state) {
      return make_error_code(ParseErrc::bad_body);
    }
  }
  if (const XmlElement* n = el.child(kMsrtcNoteNs, "note")) {
    c.note = read_note(*n);
  }
  if (const XmlElement* card = el.child(kMsrtcContactCardNs, "contactCard")) {
    c.contact_card = read_card(*card);
  }
  return c;
}

void attr(std::string& out, std::string_view name, std::string_view value) {
  if (value.empty()) {
    return;
  }
  out += " ";
  out += name;
  out += "=\"";
  append_xml_escaped(out, value);
  out += "\"";
}

void write_state(std::string& out, const MsrtcState& s) {
  out += "<state xmlns=\"http://schemas.microsoft.com/2006/09/sip/state\" "
         "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"";
  attr(out, "xsi:type", s.type);
  out += s.manual ? " manual=\"true\">" : " manual=\"false\">";
  if (s.availability) {
    out += "<availability>" + std::to_string(*s.availability) + "</availability>";
  }
  if (!s.activity_token.empty()) {
    out += "<activity";
    attr(out, "token", s.activity_token);
    out += "/>";
  }
  if (!s.device.empty()) {
    out += "<device>";
    append_xml_escaped(out, s.device);
    out += "</device>";
  }
  out += "</state>";
}

void write_card(std::string& out, const MsrtcContactCard& c) {
  out += "<contactCard xmlns=\"http://schemas.microsoft.com/2006/09/sip/contactcard\"><identity>";
  out += "<name><displayName>";
  append_xml_escaped(out, c.display_name);
  out += "</displayName></name><email>";
  append_xml_escaped(out, c.email);
  out += "</email></identity><title>";
  append_xml_escaped(out, c.title);
  out += "</title><company>";
  append_xml_escaped(out, c.company);
  out += "</company></contactCard>";
}

void write_category(std::string& out, const MsrtcCategory& c) {
  out += "<category";
  attr(out, "name", c.name);
  attr(out, "instance", c.instance);
  attr(out, "container", c.container);
  attr(out, "publishTime", c.publish_time);
  out += ">";
  if (c.state) {
    write_state(out, *c.state);
  }
  if (c.note) {
    out += "<note xmlns=\"http://schemas.microsoft.com/2006/09/sip/note\"><body";
    attr(out, "type", c.note->type);
    out += " uri=\"\">";
    append_xml_escaped(out, c.note->text);
    out += "</body></note>";
  }
  if (c.contact_card) {
    write_card(out, *c.contact_card);
  }
  out += "</category>";
}

}  // namespace

result<MsrtcCategories> parse_msrtc_categories(std::string_view xml, const XmlLimits& limits) {
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
        return c.error();
      }
      doc.categories.push_back(std::move(*c));
    }
  }
  return doc;
}

std::string write_msrtc_categories(const MsrtcCategories& doc) {
  std::string out = "<categories xmlns=\"http://schemas.microsoft.com/2006/09/sip/categories\"";
  attr(out, "uri", doc.uri);
  out += ">";
  for (const auto& c : doc.categories) {
    write_category(out, c);
  }
  out += "</categories>";
  return out;
}

bool publish_time_newer(std::string_view a, std::string_view b) {
  // ISO 8601 UTC timestamps of the same shape order lexicographically; pad fractions so that
  // "...:00Z" and "...:00.5Z" compare by value.
  auto normal = [](std::string_view t) {
    std::string s(t);
    if (!s.empty() && s.back() == 'Z') {
      s.pop_back();
    }
    if (s.size() == 19) {
      s += ".";
    }
    s.resize(std::max<std::size_t>(s.size(), 29), '0');
    return s;
  };
  if (a.empty()) {
    return false;
  }
  return b.empty() || normal(a) > normal(b);
}

}  // namespace fedgate::sip
