// Neutral presence → msrtc categories (MS-PRES §2.2.2) and PIDF + RPID (RFC 8048 §6.2).
#include "sip/bridge/convert_presence_out.hpp"

#include <utility>

#include "sip/bridge/convert_address.hpp"
#include "sip/bridge/convert_presence_in.hpp"
#include "sip/bridge/convert_time.hpp"
#include "sip/codec/msrtc_categories.hpp"
#include "sip/codec/pidf.hpp"

namespace fedgate::sip {
namespace {

using presence::Availability;

std::string rpid_activity(Availability a) {
  switch (a) {
    case Availability::inactive:
    case Availability::be_right_back:
    case Availability::away:
    case Availability::xa:
      return "away";
    case Availability::busy:
    case Availability::dnd:
      return "busy";
    default:
      return "";
  }
}

// RFC 3863 §4.1.4: a tuple id is an xs:ID (an NCName); RFC 8048 writes "ID-" + resource.
std::string tuple_id(std::string_view id) {
  std::string out = id.starts_with("ID-") ? "" : "ID-";
  for (char c : id) {
    const bool keep = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                      c == '-' || c == '.' || c == '_';
    out += keep ? c : '_';
  }
  return out;
}

Body body_of(std::string_view type, std::string bytes) {
  return Body{MediaType::parse(type).value(), std::move(bytes)};
}

PidfTuple tuple_for(std::string_view id, Availability a, const std::string& note,
                    const std::optional<presence::WallTime>& publish_time) {
  PidfTuple t;
  t.id = tuple_id(id);
  t.open = a != Availability::offline;
  if (!note.empty()) {
    t.notes.push_back(note);
  }
  if (publish_time) {
    t.timestamp = format_xs_date_time(*publish_time);
  }
  return t;
}

}  // namespace

Body msrtc_body_for(const presence::Address& entity, const MsrtcStateForm& form) {
  const std::string published = format_xs_date_time(form.publish_time);
  MsrtcCategories doc;
  doc.uri = uri_for(entity.without_resource()).str();
  MsrtcCategory state{"state", "0", "", published, MsrtcState{}, std::nullopt, std::nullopt};
  state.state->type = "aggregateState";
  state.state->availability = static_cast<std::uint32_t>(form.availability);
  state.state->activity_token = form.activity_token;
  MsrtcCategory note{
      "note", "0", "", published, std::nullopt, MsrtcNote{"personal", form.note}, std::nullopt};
  doc.categories.push_back(std::move(state));
  doc.categories.push_back(std::move(note));
  return body_of(kMsrtcCategoriesType, write_msrtc_categories(doc));
}

Body pidf_body_for(const presence::Presence& p) {
  PidfDocument doc;
  doc.entity = "pres:" + std::string(p.entity.bare());
  for (const auto& e : p.endpoints) {
    doc.tuples.push_back(tuple_for(e.id, e.availability, e.status_text, e.publish_time));
  }
  if (doc.tuples.empty()) {
    doc.tuples.push_back(
        tuple_for(p.entity.local(), p.availability, p.status_text, p.publish_time));
  }
  PidfPerson person;
  person.id = "p1";
  if (auto activity = rpid_activity(p.availability); !activity.empty()) {
    person.activities.push_back(std::move(activity));
  }
  if (!p.status_text.empty()) {
    person.notes.push_back(p.status_text);
  }
  doc.persons.push_back(std::move(person));
  return body_of(kPidfType, write_pidf(doc));
}

}  // namespace fedgate::sip
