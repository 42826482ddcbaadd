// RFC 7573 §6 Tables 3 and 4, read from the RFC text (data/), both directions.
#include "presence/chat_state_mapping.hpp"

#include <gtest/gtest.h>

#include "tests/unit/presence/router/rfc_table.hpp"

namespace fedgate::presence {
namespace {

using testing_support::read_rfc_table;

ChatState parse_chat_state(const std::string& s) {
  for (auto c : {ChatState::active, ChatState::composing, ChatState::paused, ChatState::inactive,
                 ChatState::gone}) {
    if (to_string(c) == s) {
      return c;
    }
  }
  ADD_FAILURE() << "unknown chat state " << s;
  return ChatState::none;
}

TEST(ChatStateMapping, Table3IsComposingToChatState) {
  auto rows = read_rfc_table("rfc7573-6-01-composing.txt");
  ASSERT_EQ(rows.size(), 2u);
  for (const auto& [event, state] : rows) {
    EXPECT_EQ(chat_state_from_is_composing(event), parse_chat_state(state)) << event;
  }
  EXPECT_EQ(chat_state_from_is_composing("bogus"), ChatState::none);
}

TEST(ChatStateMapping, Table4ChatStateToIsComposing) {
  auto rows = read_rfc_table("rfc7573-6-02-composing.txt");
  ASSERT_EQ(rows.size(), 5u);
  for (const auto& [state, event] : rows) {
    auto got = is_composing_for(parse_chat_state(state));
    if (event.starts_with("none")) {  // gone: Section 6.1, a BYE instead
      EXPECT_FALSE(got.has_value()) << state;
    } else {
      ASSERT_TRUE(got.has_value()) << state;
      EXPECT_EQ(*got, event) << state;
    }
  }
}

}  // namespace
}  // namespace fedgate::presence
