// RFC 3261 transaction timer values (§17, the table in §A): T1, T2, T4 and Timers A–K, which
// depend on whether the transport is reliable (TCP/TLS) or not (UDP). Owned by sip_core;
// pure constants and functions, any thread. Nothing here reads a clock.
#pragma once

#include <algorithm>
#include <optional>

#include "gateway/base/clock.hpp"

namespace fedgate::sip {

inline constexpr Duration kT1 = milliseconds(500);  // RTT estimate
inline constexpr Duration kT2 = seconds(4);         // maximum non-INVITE / response retransmit
inline constexpr Duration kT4 = seconds(5);         // maximum time a message stays in the network

// Timer A / E / G: the first retransmission interval, unreliable transports only (§17.1.1.2,
// §17.1.2.2, §17.2.1).
inline constexpr Duration kTimerAInitial = kT1;
inline constexpr Duration kTimerEInitial = kT1;
inline constexpr Duration kTimerGInitial = kT1;
// Timer B / F / H: the transaction timeouts, on every transport.
inline constexpr Duration kTimerB = 64 * kT1;
inline constexpr Duration kTimerF = 64 * kT1;
inline constexpr Duration kTimerH = 64 * kT1;
// RFC 6026 §8.11: Timer L (INVITE server, Accepted) and Timer M (INVITE client, Accepted).
inline constexpr Duration kTimerL = 64 * kT1;
inline constexpr Duration kTimerM = 64 * kT1;

// Timer D: wait for response retransmissions; "at least 32 s" on UDP, zero otherwise.
constexpr Duration timer_d(bool reliable_transport) {
  return reliable_transport ? Duration::zero() : Duration(seconds(32));
}
// Timer I: wait for ACK retransmissions (§17.2.1); T4 on UDP, zero otherwise.
constexpr Duration timer_i(bool reliable_transport) {
  return reliable_transport ? Duration::zero() : kT4;
}
// Timer J: wait for non-INVITE request retransmissions (§17.2.2); 64*T1 on UDP.
constexpr Duration timer_j(bool reliable_transport) {
  return reliable_transport ? Duration::zero() : kTimerF;
}
// Timer K: wait for response retransmissions (§17.1.2.2); T4 on UDP.
constexpr Duration timer_k(bool reliable_transport) {
  return reliable_transport ? Duration::zero() : kT4;
}
// The next Timer E / G interval: doubled, capped at T2 (§17.1.2.2, §17.2.1). Timer A is
// doubled without a cap (§17.1.1.2): it is simply 2 * interval.
constexpr Duration capped_backoff(Duration interval) { return std::min(2 * interval, kT2); }

// The earlier of two optional deadlines; nullopt only when both are.
constexpr std::optional<TimePoint> earliest(std::optional<TimePoint> a,
                                            std::optional<TimePoint> b) {
  if (!a) {
    return b;
  }
  if (!b) {
    return a;
  }
  return std::min(*a, *b);
}

// True when a deadline is set and has been reached at `now`.
constexpr bool fired(std::optional<TimePoint> deadline, TimePoint now) {
  return deadline && *deadline <= now;
}

}  // namespace fedgate::sip
