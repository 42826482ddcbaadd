// isComposing (RFC 3994) and Microsoft KeyboardActivity documents.
#include "sip/codec/is_composing.hpp"

#include <charconv>

#include "sip/codec/parse_error.hpp"

namespace fedgate::sip {

result<IsComposing> parse_is_composing(std::string_view xml, const XmlLimits& limits) {
  auto root = parse_xml(xml, limits);
  if (!root) {
    return root.error();
  }
  const XmlElement* state = root->child(kIsComposingNs, "state");
  if (root->name != "isComposing" || root->ns != kIsComposingNs || state == nullptr ||
      (state->text != "active" && state->text != "idle")) {
    return make_error_code(ParseErrc::bad_body);
  }
  IsComposing doc;
  doc.active = state->text == "active";
  doc.content_type = std::string(root->child_text("contenttype"));
  doc.last_active = std::string(root->child_text("lastactive"));
  if (const XmlElement* refresh = root->child(kIsComposingNs, "refresh")) {
    std::uint32_t n = 0;
    const std::string& t = refresh->text;
    auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), n);
    if (ec != std::errc{} || p != t.data() + t.size() || n == 0) {
      return make_error_code(ParseErrc::bad_body);
    }
    doc.refresh = n;
  }
  return doc;
}

std::string write_is_composing(const IsComposing& doc) {
  std::string out =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<isComposing xmlns=\"urn:ietf:params:xml:ns:im-iscomposing\"><state>";
  out += doc.active ? "active" : "idle";
  out += "</state>";
  if (!doc.last_active.empty()) {
    out += "<lastactive>";
    append_xml_escaped(out, doc.last_active);
    out += "</lastactive>";
  }
  if (!doc.content_type.empty()) {
    out += "<contenttype>";
    append_xml_escaped(out, doc.content_type);
    out += "</contenttype>";
  }
  if (doc.refresh) {
    out += "<refresh>" + std::to_string(*doc.refresh) + "</refresh>";
  }
  out += "</isComposing>";
  return out;
}

result<bool> parse_keyboard_activity(std::string_view xml, const XmlLimits& limits) {
  auto root = parse_xml(xml, limits);
  if (!root) {
    return result<bool>(boost::system::in_place_error, root.error());
  }
  const XmlElement* status = root->child("status");
  if (root->name != "KeyboardActivity" || status == nullptr || !status->attribute("status")) {
    return result<bool>(boost::system::in_place_error, make_error_code(ParseErrc::bad_body));
  }
  return *status->attribute("status") == "type";
}

std::string write_keyboard_activity(bool typing) {
  return typing ? "<?xml version=\"1.0\"?><KeyboardActivity><status status=\"type\" /></KeyboardActivity>"
                : "<?xml version=\"1.0\"?><KeyboardActivity><status status=\"idle\" /></KeyboardActivity>";
}

}  // namespace fedgate::sip
