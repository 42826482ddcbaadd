// Internal to sip_codec: one restricted expat parser per thread, reset and reused for every
// SIP body (no parser creation per document), driving a SAX handler. The restrictions are
// parse_xml's: no DTD, no entity declarations, XmlLimits (size, depth, element count).
// Pure, any thread (the parser is thread_local; a nested call gets a parser of its own).
#pragma once

#include <optional>
#include <string_view>

#include "sip/codec/parse_error.hpp"
#include "sip/codec/xml_dom.hpp"

namespace fedgate::sip::detail {

// Receives the document's events. Names are split: namespace URI ("" when none) and local
// name. Text arrives in pieces; every piece belongs to the innermost open element.
class XmlSaxHandler {
 public:
  virtual ~XmlSaxHandler() = default;
  virtual void start(std::string_view ns, std::string_view local, const char** attributes) = 0;
  virtual void end() = 0;
  virtual void text(std::string_view piece) = 0;
};

// Parses `document` into `handler`. ParseErrc{} when it is well-formed within `limits`;
// bad_xml (malformed, DTD, entity declaration, no element) or xml_too_deep otherwise.
ParseErrc run_xml_sax(std::string_view document, const XmlLimits& limits,
                      XmlSaxHandler& handler);

// The value of the first attribute whose local name is `local` (any namespace), from the
// NULL-terminated name/value array a start event carries.
std::optional<std::string_view> xml_attribute(const char** attributes, std::string_view local);
// The local name of an expat attribute or element name ("uri\x01local" or "local").
std::string_view xml_local_name(const char* qualified);

}  // namespace fedgate::sip::detail
