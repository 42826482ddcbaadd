// RFC 3261 §17.2.2 non-INVITE server transaction (Figure 8).
#include "sip/txn/non_invite_server_tx.hpp"

#include <utility>

#include "sip/txn/tx_error.hpp"

namespace fedgate::sip {

NonInviteServerTx::NonInviteServerTx(Request request, bool reliable_transport)
    : request_(std::move(request)), reliable_(reliable_transport) {}

// RFC 3261 §17.2.2: in trying a retransmission is discarded; in proceeding and completed
// the most recent response is sent again.
NonInviteServerTx::Actions NonInviteServerTx::on_request(const Request&, TimePoint) {
  Actions a;
  if (state_ == TxState::proceeding || state_ == TxState::completed) {
    a.send = last_response_;
  }
  return with_wake(std::move(a));
}

result<NonInviteServerTx::Actions> NonInviteServerTx::on_tu_response(Response response,
                                                                      TimePoint now) {
  if (response.status < 100 || response.status > 699) {
    return TxErrc::bad_status;
  }
  if (state_ != TxState::trying && state_ != TxState::proceeding) {
    return TxErrc::final_response_sent;
  }
  last_response_ = std::move(response);
  Actions a;
  if (last_response_->status < 200) {
    state_ = TxState::proceeding;  // §17.2.2: a provisional from the TU
    a.send = last_response_;
    return with_wake(std::move(a));
  }
  state_ = TxState::completed;  // §17.2.2: a final response starts Timer J
  if (reliable_) {
    a = terminate(TxOutcome::final_response);  // Timer J is zero
  } else {
    timer_j_ = now + timer_j(reliable_);
    a = with_wake({});
  }
  a.send = last_response_;
  return a;
}

NonInviteServerTx::Actions NonInviteServerTx::on_wake(TimePoint now) {
  if (fired(timer_j_, now)) {
    return terminate(TxOutcome::final_response);  // §17.2.2: Timer J, completed → terminated
  }
  return with_wake({});
}

// RFC 3261 §17.2.4: a failure to send a response ends the transaction; the TU is told.
NonInviteServerTx::Actions NonInviteServerTx::on_transport_error(TimePoint) {
  if (state_ == TxState::terminated) {
    return {};
  }
  return terminate(TxOutcome::transport_error);
}

NonInviteServerTx::Actions NonInviteServerTx::terminate(TxOutcome outcome) {
  state_ = TxState::terminated;
  timer_j_.reset();
  Actions a;
  a.done = outcome;
  return a;
}

NonInviteServerTx::Actions NonInviteServerTx::with_wake(Actions a) const {
  a.wake_at = timer_j_;
  return a;
}

}  // namespace fedgate::sip
