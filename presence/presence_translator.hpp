// PresenceTranslator: Lync availability numbers ↔ XMPP <show/> + status text, driven by the
// presence_state_map rows (defaults: DESIGN.md), plus MS-PRES §3.7.5.1.1 classes and PIDF
// basic/RPID (RFC 8048 §6, RFC 4480). Immutable, owned by the PolicySnapshot; any executor.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "presence/model/availability.hpp"
#include "presence/model/presence.hpp"
#include "presence/policy_rows.hpp"

// Status rule: a user's own status text travels unchanged in both directions; the state
// map's status text ("Busy", "Be Right Back") is used only when the user set none.
namespace fedgate::presence {

// What the XMPP bridge writes: show is "", "chat", "away", "xa", "dnd" or "unavailable".
struct XmppPresenceForm {
  std::string show;
  std::string status;
  friend bool operator==(const XmppPresenceForm&, const XmppPresenceForm&) = default;
};

// What the SIP bridge writes for Lync: the availability number of the "state" category and
// the note.
struct LyncPresenceForm {
  int availability = 18500;
  std::string note;
  friend bool operator==(const LyncPresenceForm&, const LyncPresenceForm&) = default;
};

// PIDF (RFC 3863) basic status plus one RPID activity (RFC 4480) and the note.
struct PidfPresenceForm {
  bool open = false;
  std::string activity;  // "", "away", "busy" (RPID activities)
  std::string note;
  friend bool operator==(const PidfPresenceForm&, const PidfPresenceForm&) = default;
};

class PresenceTranslator {
 public:
  PresenceTranslator();  // the defaults
  // Rows as loaded from presence_state_map; when a direction has no rows its defaults apply.
  explicit PresenceTranslator(const std::vector<StateMapRow>& rows);

  static std::vector<StateMapRow> default_rows();

  // Lync → XMPP by the sip_to_xmpp rows; a number no row covers falls back to the MS-PRES
  // class (availability_from_lync) and show_for().
  XmppPresenceForm to_xmpp(int lync_availability, std::string_view note) const;
  // Any neutral presence → XMPP: the Lync number when the source was Lync, else show_for().
  XmppPresenceForm to_xmpp(const Presence& p) const;
  // XMPP → Lync by the xmpp_to_sip rows (show "" / chat / away / xa / dnd / unavailable).
  LyncPresenceForm to_lync(std::string_view show, std::string_view status) const;
  LyncPresenceForm to_lync(const Presence& p) const;

  // Fixed vocabularies (not configurable).
  static Availability availability_from_lync(int number) noexcept;  // MS-PRES ranges
  static Availability availability_from_show(std::string_view show) noexcept;
  static std::string_view show_for(Availability a) noexcept;
  static PidfPresenceForm to_pidf(const Presence& p);
  static Availability availability_from_pidf(const PidfPresenceForm& f) noexcept;

 private:
  struct Range {
    int low = 0;
    int high = 0;
    std::string show;
    std::string status_text;
  };
  struct ShowRow {
    std::string show;
    int availability = 0;
  };
  void add_rows(const std::vector<StateMapRow>& rows, bool ranges, bool shows);

  std::vector<Range> ranges_;   // sorted by low
  std::vector<ShowRow> shows_;  // a handful of rows: linear search
};

}  // namespace fedgate::presence
