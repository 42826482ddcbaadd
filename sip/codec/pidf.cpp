// PIDF (RFC 3863) + RPID (RFC 4480) reading and writing.
#include "sip/codec/pidf.hpp"

#include "sip/codec/parse_error.hpp"

namespace fedgate::sip {
namespace {

std::vector<std::string> notes_of(const XmlElement& el, std::string_view ns) {
  std::vector<std::string> notes;
  for (const auto& c : el.children) {
    if (c.name == "note" && c.ns == ns) {
      notes.push_back(c.text);
    }
  }
  return notes;
}

PidfTuple read_tuple(const XmlElement& el) {
  PidfTuple t;
  t.id = std::string(el.attribute("id").value_or(""));
  if (const XmlElement* status = el.child(kPidfNs, "status")) {
    if (const XmlElement* basic = status->child(kPidfNs, "basic")) {
      t.open = basic->text == "open";
    }
  }
  t.contact = std::string(el.child_text("contact"));
  t.timestamp = std::string(el.child_text("timestamp"));
  t.notes = notes_of(el, kPidfNs);
  return t;
}

PidfPerson read_person(const XmlElement& el) {
  PidfPerson p;
  p.id = std::string(el.attribute("id").value_or(""));
  if (const XmlElement* activities = el.child(kRpidNs, "activities")) {
    for (const auto& a : activities->children) {
      if (a.ns == kRpidNs && a.name != "note") {
        p.activities.push_back(a.name);
      }
    }
  }
  p.notes = notes_of(el, kPidfDataModelNs);
  for (auto& n : notes_of(el, kRpidNs)) {
    p.notes.push_back(std::move(n));
  }
  return p;
}

void write_element(std::string& out, std::string_view tag, std::string_view text) {
  out += "<";
  out += tag;
  out += ">";
  append_xml_escaped(out, text);
  out += "</";
  out += tag;
  out += ">";
}

void write_tuple(std::string& out, const PidfTuple& t) {
  out += "<tuple id=\"";
  append_xml_escaped(out, t.id);
  out += "\">";
  if (t.open) {
    out += *t.open ? "<status><basic>open</basic></status>" : "<status><basic>closed</basic></status>";
  }
  if (!t.contact.empty()) {
    write_element(out, "contact", t.contact);
  }
  for (const auto& n : t.notes) {
    write_element(out, "note", n);
  }
  if (!t.timestamp.empty()) {
    write_element(out, "timestamp", t.timestamp);
  }
  out += "</tuple>";
}

void write_person(std::string& out, const PidfPerson& p) {
  out += "<dm:person id=\"";
  append_xml_escaped(out, p.id);
  out += "\">";
  if (!p.activities.empty()) {
    out += "<rpid:activities>";
    for (const auto& a : p.activities) {
      out += "<rpid:";
      out += a;
      out += "/>";
    }
    out += "</rpid:activities>";
  }
  for (const auto& n : p.notes) {
    write_element(out, "dm:note", n);
  }
  out += "</dm:person>";
}

}  // namespace

result<PidfDocument> parse_pidf(std::string_view xml, const XmlLimits& limits) {
  auto root = parse_xml(xml, limits);
  if (!root) {
    return root.error();
  }
  if (root->name != "presence" || root->ns != kPidfNs || !root->attribute("entity")) {
    return make_error_code(ParseErrc::bad_body);
  }
  PidfDocument doc;
  doc.entity = std::string(*root->attribute("entity"));
  for (const auto& c : root->children) {
    if (c.ns == kPidfNs && c.name == "tuple") {
      doc.tuples.push_back(read_tuple(c));
    } else if (c.ns == kPidfDataModelNs && c.name == "person") {
      doc.persons.push_back(read_person(c));
    }
  }
  doc.notes = notes_of(*root, kPidfNs);
  return doc;
}

std::string write_pidf(const PidfDocument& doc) {
  std::string out =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<presence xmlns=\"urn:ietf:params:xml:ns:pidf\" "
      "xmlns:dm=\"urn:ietf:params:xml:ns:pidf:data-model\" "
      "xmlns:rpid=\"urn:ietf:params:xml:ns:pidf:rpid\" entity=\"";
  append_xml_escaped(out, doc.entity);
  out += "\">";
  for (const auto& t : doc.tuples) {
    write_tuple(out, t);
  }
  for (const auto& p : doc.persons) {
    write_person(out, p);
  }
  for (const auto& n : doc.notes) {
    write_element(out, "note", n);
  }
  out += "</presence>";
  return out;
}

}  // namespace fedgate::sip
