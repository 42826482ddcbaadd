// Availability: the neutral presence state, the union of XMPP <show/> values (RFC 6121 §4.7.2.1)
// and the Lync/Skype for Business availability classes (MS-PRES §3.7.5.1.1).
// Owned by presence_model; plain enum. Translation tables live in presence/presence_translator.
#pragma once

#include <optional>
#include <string_view>

namespace fedgate::presence {

enum class Availability {
  available,      // XMPP: no <show/>; Lync 3000-4499
  chat,           // XMPP <show>chat</show>
  inactive,       // Lync idle 4500-5999
  busy,           // Lync 6000-8999
  dnd,            // XMPP <show>dnd</show>; Lync Do Not Disturb 9000-11999
  be_right_back,  // Lync 12000-14999
  away,           // XMPP <show>away</show>; Lync 15000-17999
  xa,             // XMPP <show>xa</show> (extended away)
  offline,        // XMPP unavailable; Lync 18000+
};

std::string_view to_string(Availability a) noexcept;
std::optional<Availability> availability_from_string(std::string_view s) noexcept;

// Aggregation rank: when several resources or endpoints publish, the most available one wins
// (lower rank is "more available"). available == chat < inactive < busy < dnd < be_right_back
// < away < xa < offline. Documented rule, used by presence/presence_aggregator.
int availability_rank(Availability a) noexcept;

}  // namespace fedgate::presence
