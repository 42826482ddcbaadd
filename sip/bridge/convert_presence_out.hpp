// Neutral presence → SIP presence bodies: an msrtc-event-categories document (state + note
// categories with publishTime, MS-PRES §2.2.2) for Microsoft peers and PIDF + RPID (RFC 3863,
// RFC 4480; RFC 8048 §6.2) for standard peers. Owned by sip_net; pure, any thread.
#pragma once

#include <string>

#include "presence/model/presence.hpp"
#include "sip/dialog/usage.hpp"

namespace fedgate::sip {

// What the caller decided for a Lync watcher (the number comes from the state map,
// PresenceTranslator::to_lync, which sip_net cannot call).
struct MsrtcStateForm {
  int availability = 18500;
  std::string note;            // personal note; empty clears the watcher's copy
  std::string activity_token;  // optional <activity token=...>
  presence::WallTime publish_time{};
  friend bool operator==(const MsrtcStateForm&, const MsrtcStateForm&) = default;
};

// <categories uri="sip:entity"> with an aggregateState "state" category and a personal
// "note" category, both instance 0 and stamped with the publish time.
Body msrtc_body_for(const presence::Address& entity, const MsrtcStateForm& form);

// entity "pres:user@domain"; one tuple per endpoint (id = endpoint id; one tuple for the
// entity when it has none), basic open unless offline; a person with the RPID activity
// (away for inactive / be_right_back / away / xa, busy for busy / dnd) and the note.
Body pidf_body_for(const presence::Presence& p);

}  // namespace fedgate::sip
