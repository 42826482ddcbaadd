// The SipAgent's per-usage bookkeeping: a subscription we hold (SubscriberEntry), one we
// serve (NotifierEntry) and an IM session (SessionEntry), each with its next wake-up. Owned by
// SipAgent's maps on its strand; plain data. RFC 6665 §4, MS-SIPRE session-mode IM.
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "gateway/base/clock.hpp"
#include "presence/model/address.hpp"
#include "sip/bridge/agent_events.hpp"
#include "sip/bridge/usage_mark.hpp"
#include "sip/dialog/im_session.hpp"
#include "sip/dialog/notifier.hpp"
#include "sip/dialog/subscriber.hpp"

namespace fedgate::sip {

using SubscriberKey = std::pair<std::string, std::string>;  // Call-ID, our tag
struct SubscriberEntry {  // constructors, not aggregate braces: built in coroutines (GCC 12)
  SubscriberEntry(Subscriber s, presence::Address p)
      : usage(std::move(s)), presentity(std::move(p)) {}
  Subscriber usage;
  presence::Address presentity;
  std::optional<TimePoint> wake;
  UsageMark mark;
};
struct SessionEntry {
  SessionEntry(ImSession s, Parties p) : usage(std::move(s)), parties(std::move(p)) {}
  ImSession usage;
  Parties parties;
  std::optional<TimePoint> wake;
};
struct NotifierEntry {
  explicit NotifierEntry(Notifier n) : usage(std::move(n)) {}
  Notifier usage;
  std::optional<TimePoint> wake;
  UsageMark mark;
};

}  // namespace fedgate::sip
