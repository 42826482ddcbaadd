// PIDF presence documents (RFC 3863) with the RPID extensions fedgate maps (RFC 4480
// activities and person notes; RFC 4479 person element). Read and write; pure, any thread.
// Owned by sip_codec. Content-Type: application/pidf+xml.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/base/result.hpp"
#include "sip/codec/xml_dom.hpp"

namespace fedgate::sip {

struct PidfTuple {
  std::string id;
  std::optional<bool> open;  // <status><basic>open|closed</basic></status>
  std::string contact;
  std::vector<std::string> notes;
  std::string timestamp;
  friend bool operator==(const PidfTuple&, const PidfTuple&) = default;
};

struct PidfPerson {
  std::string id;
  std::vector<std::string> activities;  // RPID activity element names: "away", "busy", ...
  std::vector<std::string> notes;
  friend bool operator==(const PidfPerson&, const PidfPerson&) = default;
};

struct PidfDocument {
  std::string entity;  // "pres:alice@example.com" or a SIP URI
  std::vector<PidfTuple> tuples;
  std::vector<PidfPerson> persons;
  std::vector<std::string> notes;  // presence-level <note>s
  friend bool operator==(const PidfDocument&, const PidfDocument&) = default;
};

inline constexpr std::string_view kPidfNs = "urn:ietf:params:xml:ns:pidf";
inline constexpr std::string_view kPidfDataModelNs = "urn:ietf:params:xml:ns:pidf:data-model";
inline constexpr std::string_view kRpidNs = "urn:ietf:params:xml:ns:pidf:rpid";

// Errors: bad_xml / xml_too_deep from the XML layer; bad_body when the root is not
// <presence> in the PIDF namespace or has no entity.
result<PidfDocument> parse_pidf(std::string_view xml, const XmlLimits& limits = {});
std::string write_pidf(const PidfDocument& doc);

}  // namespace fedgate::sip
