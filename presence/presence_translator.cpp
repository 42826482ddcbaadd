// Presence translation tables (see presence_translator.hpp).
#include "presence/presence_translator.hpp"

#include <algorithm>

namespace fedgate::presence {
namespace {

StateMapRow range_row(int low, int high, const char* show, const char* text) {
  return StateMapRow{MapDirection::sip_to_xmpp, low, high, show, text, 0};
}

StateMapRow show_row(const char* show, int availability) {
  return StateMapRow{MapDirection::xmpp_to_sip, 0, 0, show, "", availability};
}

const EndpointPresence* lync_endpoint(const Presence& p) {
  for (const auto& e : p.endpoints) {
    if (e.lync_availability && e.availability == p.availability) {
      return &e;
    }
  }
  return nullptr;
}

}  // namespace

std::vector<StateMapRow> PresenceTranslator::default_rows() {
  return {
      range_row(3000, 4499, "", ""),
      range_row(4500, 5999, "away", "Inactive"),
      range_row(6000, 8999, "away", "Busy"),
      range_row(9000, 11999, "away", "Busy"),  // the guide's default; "dnd" is one row away
      range_row(12000, 14999, "away", "Be Right Back"),
      range_row(15000, 17999, "away", ""),
      range_row(18000, 2147483647, "unavailable", ""),
      show_row("", 3500),
      show_row("chat", 3500),
      show_row("away", 15500),
      show_row("xa", 15500),
      show_row("dnd", 6500),
      show_row("unavailable", 18500),
  };
}

PresenceTranslator::PresenceTranslator() : PresenceTranslator(default_rows()) {}

PresenceTranslator::PresenceTranslator(const std::vector<StateMapRow>& rows) {
  add_rows(rows, true, true);
  bool need_ranges = ranges_.empty();
  bool need_shows = shows_.empty();
  if (need_ranges || need_shows) {
    add_rows(default_rows(), need_ranges, need_shows);
  }
  std::sort(ranges_.begin(), ranges_.end(),
            [](const Range& a, const Range& b) { return a.low < b.low; });
}

void PresenceTranslator::add_rows(const std::vector<StateMapRow>& rows, bool ranges, bool shows) {
  for (const auto& r : rows) {
    if (ranges && r.direction == MapDirection::sip_to_xmpp && r.range_low <= r.range_high) {
      ranges_.push_back({r.range_low, r.range_high, r.xmpp_show, r.status_text});
    } else if (shows && r.direction == MapDirection::xmpp_to_sip) {
      shows_.push_back({r.xmpp_show, r.availability});
    }
  }
}

XmppPresenceForm PresenceTranslator::to_xmpp(int lync_availability, std::string_view note) const {
  auto it = std::upper_bound(ranges_.begin(), ranges_.end(), lync_availability,
                             [](int v, const Range& r) { return v < r.low; });
  if (it != ranges_.begin() && lync_availability <= std::prev(it)->high) {
    const auto& r = *std::prev(it);
    return {r.show, note.empty() ? r.status_text : std::string{note}};
  }
  return {std::string{show_for(availability_from_lync(lync_availability))}, std::string{note}};
}

XmppPresenceForm PresenceTranslator::to_xmpp(const Presence& p) const {
  if (const auto* e = lync_endpoint(p)) {
    return to_xmpp(*e->lync_availability, p.status_text);
  }
  return {std::string{show_for(p.availability)}, p.status_text};
}

LyncPresenceForm PresenceTranslator::to_lync(std::string_view show, std::string_view status) const {
  for (const auto& r : shows_) {
    if (r.show == show) {
      return {r.availability, std::string{status}};
    }
  }
  return {show == "unavailable" ? 18500 : 3500, std::string{status}};
}

LyncPresenceForm PresenceTranslator::to_lync(const Presence& p) const {
  return to_lync(show_for(p.availability), p.status_text);
}

}  // namespace fedgate::presence
