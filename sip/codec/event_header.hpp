// The Event header (RFC 6665 §8.2.1, compact "o"): an event package with optional
// template (presence, presence.winfo, registration...) and parameters such as id.
// Owned by sip_codec; plain value, any thread.
#pragma once

#include <optional>
#include <string>

#include "sip/codec/param.hpp"

namespace fedgate::sip {

struct EventHeader {
  std::string package;  // event-type, including templates: "presence", "presence.winfo"
  Params params;

  std::optional<std::string> id() const { return param_value(params, "id"); }
  friend bool operator==(const EventHeader&, const EventHeader&) = default;
};

}  // namespace fedgate::sip
