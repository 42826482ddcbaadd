// PIDF + RPID documents → neutral presence (RFC 3863 §4, RFC 4480 §3.2, RFC 8048 §6.3).
#include <algorithm>
#include <array>
#include <utility>

#include "sip/bridge/convert_address.hpp"
#include "sip/bridge/convert_errc.hpp"
#include "sip/bridge/convert_presence_in.hpp"
#include "sip/bridge/convert_time.hpp"
#include "sip/codec/msrtc_categories.hpp"
#include "sip/codec/pidf.hpp"

namespace fedgate::sip {
namespace {

using presence::Availability;

// RFC 4480 §3.2 activities that say "not at the device" or "occupied". Anything else (or
// none) leaves an open tuple available.
Availability availability_for_activity(std::string_view a) {
  static constexpr std::array<std::string_view, 7> kAway{"away", "vacation", "holiday", "sleeping",
                                                         "meal", "travel",   "steering"};
  static constexpr std::array<std::string_view, 7> kBusy{
      "busy", "on-the-phone", "meeting", "appointment", "performance", "presentation", "worship"};
  if (std::find(kAway.begin(), kAway.end(), a) != kAway.end()) {
    return Availability::away;
  }
  if (std::find(kBusy.begin(), kBusy.end(), a) != kBusy.end()) {
    return Availability::busy;
  }
  return Availability::available;
}

std::string first_note(const PidfDocument& doc) {
  for (const auto& p : doc.persons) {
    if (!p.notes.empty()) {
      return p.notes.front();
    }
  }
  for (const auto& t : doc.tuples) {
    if (!t.notes.empty()) {
      return t.notes.front();
    }
  }
  return doc.notes.empty() ? std::string{} : doc.notes.front();
}

std::string first_activity(const PidfDocument& doc) {
  for (const auto& p : doc.persons) {
    if (!p.activities.empty()) {
      return p.activities.front();
    }
  }
  return {};
}

result<presence::Address> pidf_entity(const presence::Address& entity, std::string_view uri) {
  if (!entity.empty()) {
    return entity.without_resource();
  }
  return address_from_document_uri(uri);
}

presence::EndpointPresence endpoint_for(const PidfTuple& t, Availability open_as,
                                        const std::string& note) {
  presence::EndpointPresence e;
  e.id = t.id;
  e.availability = t.open.value_or(false) ? open_as : Availability::offline;
  e.status_text = note;
  e.publish_time = parse_xs_date_time(t.timestamp);
  return e;
}

}  // namespace

result<SipPresenceDocument> presence_from_pidf(std::string_view xml,
                                               const presence::Address& entity) {
  auto doc = parse_pidf(xml);
  if (!doc) {
    return make_error_code(ConvertErrc::bad_body);
  }
  auto who = pidf_entity(entity, doc->entity);
  if (!who) {
    return who.error();
  }
  SipPresenceDocument out;
  out.presence.entity = std::move(*who);
  out.has_state = true;  // PIDF is full state (RFC 3863 §4.1)
  out.has_note = true;
  out.activity_token = first_activity(*doc);
  out.presence.status_text = first_note(*doc);
  const Availability open_as = availability_for_activity(out.activity_token);
  for (const auto& t : doc->tuples) {
    auto e = endpoint_for(t, open_as, out.presence.status_text);
    if (availability_rank(e.availability) < availability_rank(out.presence.availability)) {
      out.presence.availability = e.availability;
    }
    if (publish_time_newer(t.timestamp, out.publish_time)) {
      out.publish_time = t.timestamp;
    }
    out.presence.endpoints.push_back(std::move(e));
  }
  out.presence.publish_time = parse_xs_date_time(out.publish_time);
  return out;
}

}  // namespace fedgate::sip
