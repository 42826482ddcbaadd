// application/msrtc-adrl-categorylist+xml (MS-PRES §2.2.2.4.1) reading and writing.
#include "sip/codec/batch_subscribe.hpp"

#include "sip/codec/parse_error.hpp"

namespace fedgate::sip {

result<BatchSubscribe> parse_batch_subscribe(std::string_view xml, const XmlLimits& limits) {
  auto root = parse_xml(xml, limits);
  if (!root) {
    return root.error();
  }
  const XmlElement* action = root->child(kBatchSubscribeNs, "action");
  if (root->name != "batchSub" || root->ns != kBatchSubscribeNs || action == nullptr) {
    return make_error_code(ParseErrc::bad_body);
  }
  BatchSubscribe doc;
  doc.uri = std::string(root->attribute("uri").value_or(""));
  doc.action = std::string(action->attribute("name").value_or(""));
  doc.action_id = std::string(action->attribute("id").value_or(""));
  if (const XmlElement* list = action->child("adhocList")) {
    for (const auto& r : list->children) {
      if (r.name == "resource" && r.attribute("uri")) {
        doc.resources.emplace_back(*r.attribute("uri"));
      }
    }
  }
  if (const XmlElement* list = action->child(kCategoryListNs, "categoryList")) {
    for (const auto& c : list->children) {
      if (c.name == "category" && c.attribute("name")) {
        doc.categories.emplace_back(*c.attribute("name"));
      }
    }
  }
  return doc;
}

std::string write_batch_subscribe(const BatchSubscribe& doc) {
  std::string out =
      "<batchSub xmlns=\"http://schemas.microsoft.com/2006/01/sip/batch-subscribe\" uri=\"";
  append_xml_escaped(out, doc.uri);
  out += "\" name=\"\"><action name=\"";
  append_xml_escaped(out, doc.action);
  out += "\" id=\"";
  append_xml_escaped(out, doc.action_id);
  out += "\"><adhocList>";
  for (const auto& r : doc.resources) {
    out += "<resource uri=\"";
    append_xml_escaped(out, r);
    out += "\"/>";
  }
  out += "</adhocList><categoryList xmlns=\"http://schemas.microsoft.com/2006/09/sip/categorylist\">";
  for (const auto& c : doc.categories) {
    out += "<category name=\"";
    append_xml_escaped(out, c);
    out += "\"/>";
  }
  out += "</categoryList></action></batchSub>";
  return out;
}

}  // namespace fedgate::sip
