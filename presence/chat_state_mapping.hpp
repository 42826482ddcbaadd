// Chat states (XEP-0085) ↔ SIP isComposing states (RFC 3994), RFC 7573 §6 Tables 3 and 4.
// Pure functions; owned by presence_router; used by both bridges. "gone" has no isComposing
// form: it ends the SIP session instead (RFC 7573 §6.1, ChatSessionMachine sends BYE).
#pragma once

#include <optional>
#include <string_view>

#include "presence/model/message.hpp"

namespace fedgate::presence {

// Table 3: "active" → composing, "idle" → active; anything else → ChatState::none.
ChatState chat_state_from_is_composing(std::string_view state) noexcept;

// Table 4: composing → "active"; active, inactive, paused → "idle"; gone and none → nullopt.
std::optional<std::string_view> is_composing_for(ChatState s) noexcept;

}  // namespace fedgate::presence
