// A small namespace-aware XML tree built with expat, for SIP body parsers (PIDF, msrtc,
// RLMI, isComposing...). Owned by sip_codec; pure, any thread. Refuses DTDs and entity
// declarations (no entity expansion) and enforces XmlLimits (size, depth, element count).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gateway/base/result.hpp"

namespace fedgate::sip {

struct XmlLimits {
  std::size_t max_bytes = 1024 * 1024;
  std::size_t max_depth = 32;
  std::size_t max_elements = 20000;
};

struct XmlElement {
  std::string ns;    // namespace URI ("" when none)
  std::string name;  // local name
  std::vector<std::pair<std::string, std::string>> attributes;  // local name -> value
  std::vector<XmlElement> children;
  std::string text;  // character data directly inside this element

  // First child with this local name (and namespace, when given).
  const XmlElement* child(std::string_view local) const;
  const XmlElement* child(std::string_view ns_uri, std::string_view local) const;
  std::optional<std::string_view> attribute(std::string_view local) const;
  // The child's text, or "" when there is no such child.
  std::string_view child_text(std::string_view local) const;
};

// Parses a whole document; errors: ParseErrc::bad_xml, ParseErrc::xml_too_deep.
result<XmlElement> parse_xml(std::string_view document, const XmlLimits& limits = {});

// Appends text escaped for element content and attribute values (&, <, >, ", ').
void append_xml_escaped(std::string& out, std::string_view text);

}  // namespace fedgate::sip
