// The fixed (non-configurable) presence vocabularies: MS-PRES availability classes, XMPP
// <show/> values (RFC 6121 §4.7.2.1) and PIDF basic + RPID activities (RFC 8048 §6).
#include "presence/presence_translator.hpp"

namespace fedgate::presence {

// MS-PRES §3.7.5.1.1: the availability classes of the "state" category.
Availability PresenceTranslator::availability_from_lync(int number) noexcept {
  if (number < 3000) {
    return Availability::offline;  // 0-2999: no availability published
  }
  if (number < 4500) {
    return Availability::available;
  }
  if (number < 6000) {
    return Availability::inactive;
  }
  if (number < 9000) {
    return Availability::busy;
  }
  if (number < 12000) {
    return Availability::dnd;
  }
  if (number < 15000) {
    return Availability::be_right_back;
  }
  if (number < 18000) {
    return Availability::away;
  }
  return Availability::offline;
}

Availability PresenceTranslator::availability_from_show(std::string_view show) noexcept {
  if (show.empty()) {
    return Availability::available;
  }
  if (show == "chat") {
    return Availability::chat;
  }
  if (show == "away") {
    return Availability::away;
  }
  if (show == "xa") {
    return Availability::xa;
  }
  if (show == "dnd") {
    return Availability::dnd;
  }
  return Availability::offline;  // "unavailable" and anything unknown
}

// Neutral → XMPP show. Lync-only classes fold: busy → dnd, inactive/be_right_back → away.
std::string_view PresenceTranslator::show_for(Availability a) noexcept {
  switch (a) {
    case Availability::available:
      return "";
    case Availability::chat:
      return "chat";
    case Availability::inactive:
    case Availability::be_right_back:
    case Availability::away:
      return "away";
    case Availability::xa:
      return "xa";
    case Availability::busy:
    case Availability::dnd:
      return "dnd";
    case Availability::offline:
      return "unavailable";
  }
  return "unavailable";
}

// RFC 8048 §6.2: basic open unless offline; away-like classes → <rpid:away/>, busy-like →
// <rpid:busy/>; the note travels unchanged.
PidfPresenceForm PresenceTranslator::to_pidf(const Presence& p) {
  PidfPresenceForm f{p.availability != Availability::offline, "", p.status_text};
  switch (p.availability) {
    case Availability::inactive:
    case Availability::be_right_back:
    case Availability::away:
    case Availability::xa:
      f.activity = "away";
      break;
    case Availability::busy:
    case Availability::dnd:
      f.activity = "busy";
      break;
    default:
      break;
  }
  return f;
}

// RFC 8048 §6.3: closed → offline; open with <rpid:away/> → away, <rpid:busy/> or
// <rpid:on-the-phone/> → busy (shown as dnd in XMPP), otherwise available.
Availability PresenceTranslator::availability_from_pidf(const PidfPresenceForm& f) noexcept {
  if (!f.open) {
    return Availability::offline;
  }
  if (f.activity == "away") {
    return Availability::away;
  }
  if (f.activity == "busy" || f.activity == "on-the-phone") {
    return Availability::busy;
  }
  return Availability::available;
}

}  // namespace fedgate::presence
