// msrtc-event-categories documents (MS-PRES §2.2.2.x): writing, publish time order.
// Reading: msrtc_reader.cpp.
#include "sip/codec/msrtc_categories.hpp"

#include <algorithm>

#include "sip/codec/parse_error.hpp"

namespace fedgate::sip {
namespace {

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
