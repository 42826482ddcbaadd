// Transaction states and outcomes shared by the four RFC 3261 §17 transaction machines.
// Owned by sip_core; plain values, any thread. Names are the RFC's own (§17.1.1, §17.1.2,
// §17.2.1, §17.2.2 state diagrams).
#pragma once

#include <string_view>

namespace fedgate::sip {

// `accepted` is RFC 6026 §7.1/§7.2: an INVITE transaction after a 2xx, absorbing (server) or
// passing up (client) retransmissions until Timer L / Timer M.
enum class TxState { calling, trying, proceeding, accepted, completed, confirmed, terminated };

// Why a transaction reached `terminated` (reported once, in Actions::done).
enum class TxOutcome {
  final_response,   // a final response was received (client) or sent/acknowledged (server)
  timeout,          // Timer B, F or H fired (§17.1.1.2, §17.1.2.2, §17.2.1)
  transport_error,  // the transport reported a failure (§17.1.4, §17.2.4)
};

std::string_view to_string(TxState s) noexcept;
std::string_view to_string(TxOutcome o) noexcept;

}  // namespace fedgate::sip
