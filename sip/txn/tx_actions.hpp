// What a transaction asks its owner to do after an event (sans-I/O, STYLE.md B1): send a
// message, hand a response to the TU, re-arm the single wake-up, report the end. Owned by
// sip_core; plain values, any thread. Used by the four RFC 3261 §17 machines.
#pragma once

#include <optional>

#include "gateway/base/clock.hpp"
#include "sip/codec/message.hpp"
#include "sip/txn/tx_state.hpp"

namespace fedgate::sip {

// wake_at is always the earliest pending timer after the event (nullopt: no timer pending);
// the owner replaces any earlier wake-up with it and calls on_wake() at or after that time.
struct ClientTxActions {
  std::optional<Request> send;       // (re)transmit this request, or the ACK of §17.1.1.3
  std::optional<Response> to_tu;     // pass this response up to the transaction user
  std::optional<TimePoint> wake_at;  // Timers A, B, D (INVITE) or E, F, K (non-INVITE)
  std::optional<TxOutcome> done;     // set once, when the transaction is terminated
  friend bool operator==(const ClientTxActions&, const ClientTxActions&) = default;
};

struct ServerTxActions {
  std::optional<Response> send;      // (re)transmit this response
  std::optional<TimePoint> wake_at;  // Timers G, H, I (INVITE) or J (non-INVITE)
  std::optional<TxOutcome> done;     // set once, when the transaction is terminated
  friend bool operator==(const ServerTxActions&, const ServerTxActions&) = default;
};

}  // namespace fedgate::sip
