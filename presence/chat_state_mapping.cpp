// RFC 7573 §6 chat state ↔ isComposing tables.
#include "presence/chat_state_mapping.hpp"

namespace fedgate::presence {

ChatState chat_state_from_is_composing(std::string_view state) noexcept {
  if (state == "active") {
    return ChatState::composing;
  }
  if (state == "idle") {
    return ChatState::active;
  }
  return ChatState::none;
}

std::optional<std::string_view> is_composing_for(ChatState s) noexcept {
  switch (s) {
    case ChatState::composing:
      return "active";
    case ChatState::active:
    case ChatState::inactive:
    case ChatState::paused:
      return "idle";
    case ChatState::gone:
    case ChatState::none:
      return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace fedgate::presence
