// Vocabulary shared by the dialog usages (subscriptions, session-mode IM): our local
// endpoint, a body with its type, subscription substates (RFC 6665 §4.1.3, §8.2.3).
// Owned by sip_core; plain values, any thread.
#pragma once

#include <string>
#include <string_view>

#include "sip/codec/message.hpp"
#include "sip/txn/branch.hpp"

namespace fedgate::sip {

// Where we are: the top Via (without branch) and Contact of requests we originate.
struct LocalEndpoint {
  Via via;
  NameAddr contact;
  // `via` with a fresh branch parameter.
  Via next_via(BranchGenerator& branches) const;
  friend bool operator==(const LocalEndpoint&, const LocalEndpoint&) = default;
};

struct Body {
  MediaType type;
  std::string bytes;
  friend bool operator==(const Body&, const Body&) = default;
};

enum class SubState { pending, active, terminated };

std::string_view to_string(SubState s) noexcept;

// Moves `body` into the message with its Content-Type.
void attach_body(MessageHeaders& m, Body body);

// The Microsoft option tags and headers the usages read and write (MS-SIPRE, MS-PRES).
inline constexpr std::string_view kPiggybackTag = "ms-piggyback-first-notify";
inline constexpr std::string_view kPiggybackCseq = "ms-piggyback-cseq";
inline constexpr std::string_view kBenotifyTag = "ms-benotify";
inline constexpr std::string_view kTextFormatTag = "ms-text-format";

bool supports(const MessageHeaders& m, std::string_view option_tag);

}  // namespace fedgate::sip
