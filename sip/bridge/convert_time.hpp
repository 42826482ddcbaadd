// xs:dateTime (XML Schema §3.2.7) ↔ presence::WallTime, for Lync publishTime attributes and
// PIDF <timestamp> (RFC 3863 §4.1.7). Owned by sip_net (bridge conversions); pure, any thread.
// Accepts "2024-05-01T09:30:00[.fff...](Z|±hh:mm)?"; no zone means UTC (as Lync sends it).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "presence/model/time.hpp"

namespace fedgate::sip {

std::optional<presence::WallTime> parse_xs_date_time(std::string_view text);
// UTC with milliseconds: "2024-05-01T09:30:00.123Z".
std::string format_xs_date_time(presence::WallTime t);

}  // namespace fedgate::sip
