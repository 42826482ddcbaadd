// Presence: one user's neutral presence document: aggregated availability, status text, the
// per-resource (XMPP) or per-endpoint (Lync) detail it was built from, and its publish time.
// Owned by presence_model; plain value. RFC 7248/8048 §6, MS-PRES §3.7.5.1.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "presence/model/address.hpp"
#include "presence/model/availability.hpp"
#include "presence/model/time.hpp"

namespace fedgate::presence {

// One XMPP resource or one Lync endpoint (epid / instance).
struct EndpointPresence {
  std::string id;  // XMPP resource, Lync epid, or PIDF tuple id
  Availability availability = Availability::offline;
  std::string status_text;  // XMPP <status/>, Lync note, PIDF <note/>: travels unchanged
  int priority = 0;         // XMPP <priority/>; ties in aggregation
  std::optional<int> lync_availability;  // the raw number when the source was Lync
  std::optional<WallTime> publish_time;
  friend bool operator==(const EndpointPresence&, const EndpointPresence&) = default;
};

struct Presence {
  Address entity;  // whose presence this is (bare address)
  Availability availability = Availability::offline;
  std::string status_text;
  std::vector<EndpointPresence> endpoints;
  std::optional<WallTime> publish_time;  // newest publish time of what it was built from
  friend bool operator==(const Presence&, const Presence&) = default;
};

}  // namespace fedgate::presence
