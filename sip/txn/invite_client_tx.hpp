// RFC 3261 §17.1.1: INVITE client transaction, with the ACK for a non-2xx final (§17.1.1.3)
// and Timer D; RFC 6026 §8.4: a 2xx moves it to accepted (Timer M), where 2xx retransmissions
// still go to the TU, which ACKs each. Sans-I/O: the caller feeds events and the time and
// carries out the Actions. Owned by the transaction table, on its owner's strand.
#pragma once

#include <optional>

#include "gateway/base/clock.hpp"
#include "sip/codec/message.hpp"
#include "sip/txn/timers.hpp"
#include "sip/txn/tx_actions.hpp"
#include "sip/txn/tx_state.hpp"

namespace fedgate::sip {

class InviteClientTx {
 public:
  using Actions = ClientTxActions;

  InviteClientTx(Request invite, bool reliable_transport);
  Actions start(TimePoint now);
  Actions on_response(const Response& response, TimePoint now);
  Actions on_wake(TimePoint now);
  Actions on_transport_error(TimePoint now);

  TxState state() const { return state_; }
  const Request& request() const { return invite_; }

 private:
  Actions on_non_2xx_final(const Response& response, TimePoint now);
  Actions terminate(TxOutcome outcome);
  Actions with_wake(Actions a) const;

  Request invite_;
  bool reliable_;
  TxState state_ = TxState::calling;
  Duration timer_a_interval_ = kTimerAInitial;
  std::optional<TimePoint> timer_a_;
  std::optional<TimePoint> timer_b_;
  std::optional<TimePoint> timer_d_;
  std::optional<TimePoint> timer_m_;
  std::optional<Request> ack_;  // built once from the first non-2xx final response
};

// RFC 3261 §17.1.1.3: the ACK for a non-2xx final response to `invite`: same Request-URI,
// Call-ID, From, CSeq number and top Via; To from the response; the INVITE's Route headers.
Request make_non_2xx_ack(const Request& invite, const Response& response);

}  // namespace fedgate::sip
