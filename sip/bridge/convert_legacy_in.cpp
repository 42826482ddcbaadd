// LCS 2005-style presence documents (text/xml+msrtc.pidf, MS-SIP §2.2.1, §4.4) → neutral.
#include <array>
#include <charconv>
#include <utility>

#include "sip/bridge/convert_address.hpp"
#include "sip/bridge/convert_errc.hpp"
#include "sip/bridge/convert_presence_in.hpp"
#include "sip/codec/xml_dom.hpp"

namespace fedgate::sip {
namespace {

using presence::Availability;

constexpr std::string_view kLegacyNs = "http://schemas.microsoft.com/2002/09/sip/presence";

int aggregate_of(const XmlElement* e) {
  int n = 0;
  if (e == nullptr) {
    return 0;
  }
  const auto text = e->attribute("aggregate").value_or("0");
  std::from_chars(text.data(), text.data() + text.size(), n);
  return n;
}

Availability legacy_availability(int availability, int activity) {
  struct Range {
    int below;
    Availability availability;
  };
  static constexpr std::array<Range, 8> kActivity{{{150, Availability::away},
                                                   {200, Availability::away},
                                                   {300, Availability::inactive},
                                                   {400, Availability::be_right_back},
                                                   {500, Availability::available},
                                                   {700, Availability::busy},
                                                   {800, Availability::away},
                                                   {1 << 30, Availability::available}}};
  if (availability < 100) {
    return Availability::offline;
  }
  for (const auto& r : kActivity) {
    if (activity < r.below) {
      return r.availability;
    }
  }
  return Availability::available;
}

// The activity note of the presentity, else of the first device that has one.
std::string legacy_note(const XmlElement& root) {
  if (const XmlElement* a = root.child("activity"); a != nullptr && a->attribute("note")) {
    return std::string(*a->attribute("note"));
  }
  if (const XmlElement* devices = root.child("devices")) {
    for (const auto& d : devices->children) {
      const XmlElement* a = d.child("activity");
      if (a != nullptr && a->attribute("note") && !a->attribute("note")->empty()) {
        return std::string(*a->attribute("note"));
      }
    }
  }
  return {};
}

}  // namespace

result<SipPresenceDocument> presence_from_legacy_msrtc(std::string_view xml,
                                                       const presence::Address& entity) {
  auto root = parse_xml(xml);
  if (!root || root->name != "presentity" || root->ns != kLegacyNs) {
    return make_error_code(ConvertErrc::bad_body);
  }
  auto who = entity.empty() ? address_from_document_uri(root->attribute("uri").value_or(""))
                            : result<presence::Address>(entity.without_resource());
  if (!who) {
    return who.error();
  }
  SipPresenceDocument out;
  out.presence.entity = std::move(*who);
  out.has_state = true;  // the legacy document is full state
  out.has_note = true;
  out.presence.availability = legacy_availability(aggregate_of(root->child("availability")),
                                                  aggregate_of(root->child("activity")));
  out.presence.status_text = legacy_note(*root);
  const XmlElement* availability = root->child("availability");
  presence::EndpointPresence e;
  e.id = availability != nullptr ? std::string(availability->attribute("epid").value_or("")) : "";
  e.availability = out.presence.availability;
  e.status_text = out.presence.status_text;
  out.presence.endpoints.push_back(std::move(e));
  return out;
}

}  // namespace fedgate::sip
