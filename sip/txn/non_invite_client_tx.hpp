// RFC 3261 §17.1.2: non-INVITE client transaction. No sockets and no timers: the caller
// feeds events, passes the time in, and carries out the returned Actions. Owned by the
// transaction layer of one connection; runs on that connection's strand.
#pragma once

#include <optional>

#include "gateway/base/clock.hpp"
#include "sip/codec/message.hpp"
#include "sip/txn/timers.hpp"
#include "sip/txn/tx_actions.hpp"
#include "sip/txn/tx_state.hpp"

namespace fedgate::sip {

class NonInviteClientTx {
 public:
  using Actions = ClientTxActions;

  NonInviteClientTx(Request request, bool reliable_transport);
  Actions start(TimePoint now);
  Actions on_response(const Response& response, TimePoint now);
  Actions on_wake(TimePoint now);
  Actions on_transport_error(TimePoint now);

  TxState state() const { return state_; }
  // The request; on a reliable transport start() hands it over (moved from after it).
  const Request& request() const { return request_; }

 private:
  Actions on_final(const Response& response, TimePoint now);
  Actions terminate(TxOutcome outcome);
  Actions with_wake(Actions a) const;

  Request request_;
  bool reliable_;
  TxState state_ = TxState::trying;
  Duration timer_e_interval_ = kTimerEInitial;
  std::optional<TimePoint> timer_e_;
  std::optional<TimePoint> timer_f_;
  std::optional<TimePoint> timer_k_;
};

}  // namespace fedgate::sip
