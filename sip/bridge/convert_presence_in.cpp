// msrtc categories and PIDF documents → neutral presence (MS-PRES §2.2.2, RFC 8048 §6.3).
#include "sip/bridge/convert_presence_in.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include "sip/bridge/convert_address.hpp"
#include "sip/bridge/convert_errc.hpp"
#include "sip/bridge/convert_time.hpp"
#include "sip/codec/msrtc_categories.hpp"
#include "sip/codec/pidf.hpp"

namespace fedgate::sip {
namespace {

using presence::Availability;

// The presentity: the dialog's when known, else the document's uri.
result<presence::Address> entity_of(const presence::Address& entity, std::string_view doc_uri) {
  if (!entity.empty()) {
    return entity.without_resource();
  }
  return address_from_document_uri(doc_uri);
}

const MsrtcCategory* pick_state(const MsrtcCategories& doc) {
  const MsrtcCategory* best = nullptr;
  for (const auto& c : doc.categories) {
    if (!c.state || !c.state->availability) {
      continue;
    }
    const bool aggregate = c.state->type == "aggregateState";
    const bool best_aggregate = best != nullptr && best->state->type == "aggregateState";
    if (best == nullptr || (aggregate && !best_aggregate) ||
        (aggregate == best_aggregate && publish_time_newer(c.publish_time, best->publish_time))) {
      best = &c;
    }
  }
  return best;
}

// The personal note wins over the out-of-office note, unless the personal one is empty.
const MsrtcCategory* pick_note(const MsrtcCategories& doc) {
  const MsrtcCategory* best = nullptr;
  for (const auto& c : doc.categories) {
    if (!c.note) {
      continue;
    }
    if (best == nullptr || (best->note->text.empty() && !c.note->text.empty()) ||
        (c.note->type == "personal" && !c.note->text.empty() && best->note->type != "personal")) {
      best = &c;
    }
  }
  return best;
}

void take_publish_time(SipPresenceDocument& out, const std::string& publish_time) {
  if (publish_time_newer(publish_time, out.publish_time)) {
    out.publish_time = publish_time;
  }
}

void apply_state(SipPresenceDocument& out, const MsrtcCategory& c) {
  const int number = static_cast<int>(std::min<std::uint32_t>(*c.state->availability, 1000000));
  presence::EndpointPresence e;
  e.id = c.instance;
  e.availability = availability_from_lync(number);
  e.lync_availability = number;
  e.publish_time = parse_xs_date_time(c.publish_time);
  out.presence.availability = e.availability;
  out.presence.endpoints.push_back(std::move(e));
  out.has_state = true;
  out.activity_token = c.state->activity_token;
  out.device = c.state->device;
}

}  // namespace

Availability availability_from_lync(int number) noexcept {
  struct Range {
    int below;
    Availability availability;
  };
  static constexpr std::array<Range, 7> kRanges{{{3000, Availability::offline},
                                                 {4500, Availability::available},
                                                 {6000, Availability::inactive},
                                                 {9000, Availability::busy},
                                                 {12000, Availability::dnd},
                                                 {15000, Availability::be_right_back},
                                                 {18000, Availability::away}}};
  for (const auto& r : kRanges) {
    if (number < r.below) {
      return r.availability;
    }
  }
  return Availability::offline;
}

result<SipPresenceDocument> presence_from_msrtc(std::string_view xml,
                                                const presence::Address& entity) {
  auto doc = parse_msrtc_categories(xml);
  if (!doc) {
    return make_error_code(ConvertErrc::bad_body);
  }
  auto who = entity_of(entity, doc->uri);
  if (!who) {
    return who.error();
  }
  SipPresenceDocument out;
  out.presence.entity = std::move(*who);
  for (const auto& c : doc->categories) {
    if (c.state || c.note) {
      take_publish_time(out, c.publish_time);
    }
  }
  if (const MsrtcCategory* state = pick_state(*doc)) {
    apply_state(out, *state);
  }
  if (const MsrtcCategory* note = pick_note(*doc)) {
    out.has_note = true;
    out.out_of_office = note->note->type == "OOF";
    out.presence.status_text = note->note->text;
    for (auto& e : out.presence.endpoints) {
      e.status_text = out.presence.status_text;
    }
  }
  out.presence.publish_time = parse_xs_date_time(out.publish_time);
  return out;
}

std::optional<presence::Presence> merge_presence(const presence::Presence* held,
                                                 const SipPresenceDocument& update) {
  const auto& incoming = update.presence;
  if (held != nullptr && held->publish_time && incoming.publish_time &&
      *incoming.publish_time < *held->publish_time) {
    return std::nullopt;  // MS-PRES publishTime: an older document is ignored
  }
  presence::Presence out = held != nullptr ? *held : presence::Presence{};
  out.entity = incoming.entity;
  if (update.has_state) {
    out.availability = incoming.availability;
    out.endpoints = incoming.endpoints;
  }
  if (update.has_note) {
    out.status_text = incoming.status_text;
  }
  for (auto& e : out.endpoints) {
    e.status_text = out.status_text;
  }
  if (incoming.publish_time && (!out.publish_time || *out.publish_time < *incoming.publish_time)) {
    out.publish_time = incoming.publish_time;
  }
  return out;
}

result<SipPresenceDocument> presence_from_body(const std::optional<MediaType>& type,
                                               std::string_view body,
                                               const presence::Address& entity) {
  if (!type) {
    return make_error_code(ConvertErrc::missing_header);
  }
  if (type->is(kMsrtcCategoriesType)) {
    return presence_from_msrtc(body, entity);
  }
  if (type->is(kPidfType)) {
    return presence_from_pidf(body, entity);
  }
  if (type->is(kLegacyMsrtcType)) {
    return presence_from_legacy_msrtc(body, entity);
  }
  return make_error_code(ConvertErrc::unsupported_media_type);
}

}  // namespace fedgate::sip
