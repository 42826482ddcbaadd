// SwitchboardConfig (the switchboard's tunables, from the node configuration), MessageReply
// (how a message's sender hears the outcome) and InFlight (a message awaiting its ack). Owned
// by gateway/app's Switchboard; plain data.
// RFC 3261 §20.43 (Warning agent), RFC 6121 §4.3 (presence cache at restore).
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>

#include "gateway/base/clock.hpp"
#include "presence/chat_session_machine.hpp"
#include "presence/model/error_condition.hpp"

namespace fedgate::gateway {

struct SwitchboardConfig {
  std::string agent = "fedgate";  // Warning header agent for SIP bounces (RFC 3261 §20.43)
  // No XEP-0198 ack reaches the switchboard yet: a stanza handed to the pool is taken as
  // delivered when no bounce came back within this time (see the closing notes).
  Duration delivery_settle = std::chrono::seconds(60);
  Duration bounce_memory = std::chrono::minutes(10);  // late bounces still reach the sender
  Duration tick = std::chrono::seconds(1);            // timers: refreshes, idle close, settle
  Duration policy_wait = std::chrono::seconds(60);    // restore(): wait this long for policy
  presence::ChatSessionMachine::Config chat;          // idle close, queue bound
  // Presence cache write-behind: written this often, or at once when this many wait. An
  // entity changing faster than the interval is written once per interval (coalesced).
  Duration presence_flush = std::chrono::milliseconds(500);
  std::size_t presence_flush_batch = 4000;
  Duration presence_retry_cap = std::chrono::seconds(30);  // doubling delay after failures
};

// How a message's sender hears the outcome before delivery: refused (with the condition to
// send) or accepted (stored in the Outbox). Either may be empty.
struct MessageReply {
  std::function<void(const presence::StanzaError&)> refused;
  std::function<void()> accepted;
};

// An XMPP-bound message handed to the pool, kept by stanza id for its ack or a late bounce.
struct InFlight {
  presence::OutboundMessage message;
  TimePoint sent;
  bool settled = false;  // marked delivered; kept for late bounces until bounce_memory
};

}  // namespace fedgate::gateway
