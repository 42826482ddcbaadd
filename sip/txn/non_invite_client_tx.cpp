// RFC 3261 §17.1.2 non-INVITE client transaction (Figure 6).
#include "sip/txn/non_invite_client_tx.hpp"

#include <utility>

namespace fedgate::sip {

NonInviteClientTx::NonInviteClientTx(Request request, bool reliable_transport)
    : request_(std::move(request)), reliable_(reliable_transport) {}

// RFC 3261 §17.1.2.2: send the request, start Timer F, and Timer E on unreliable transports.
NonInviteClientTx::Actions NonInviteClientTx::start(TimePoint now) {
  state_ = TxState::trying;
  timer_f_ = now + kTimerF;
  if (!reliable_) {
    timer_e_ = now + timer_e_interval_;
  }
  Actions a;
  if (reliable_) {
    a.send = std::move(request_);  // nothing retransmits it (§17.1.2.2): not kept
  } else {
    a.send = request_;  // Timer E sends it again
  }
  return with_wake(std::move(a));
}

NonInviteClientTx::Actions NonInviteClientTx::on_response(const Response& response, TimePoint now) {
  if (state_ != TxState::trying && state_ != TxState::proceeding) {
    return with_wake({});  // §17.1.2.2: retransmitted finals are absorbed in completed
  }
  if (response.status >= 200) {
    return on_final(response, now);
  }
  state_ = TxState::proceeding;  // §17.1.2.2: a provisional response moves to proceeding
  Actions a;
  a.to_tu = response;
  return with_wake(std::move(a));
}

// RFC 3261 §17.1.2.2: a final response goes to the TU; Timer K absorbs retransmissions.
NonInviteClientTx::Actions NonInviteClientTx::on_final(const Response& response, TimePoint now) {
  timer_e_.reset();
  timer_f_.reset();
  state_ = TxState::completed;
  if (reliable_) {
    Actions a = terminate(TxOutcome::final_response);  // Timer K is zero
    a.to_tu = response;
    return a;
  }
  timer_k_ = now + timer_k(reliable_);
  Actions a;
  a.to_tu = response;
  return with_wake(std::move(a));
}

NonInviteClientTx::Actions NonInviteClientTx::on_wake(TimePoint now) {
  if (fired(timer_k_, now)) {
    return terminate(TxOutcome::final_response);  // §17.1.2.2: Timer K, completed → terminated
  }
  if (fired(timer_f_, now)) {
    return terminate(TxOutcome::timeout);  // §17.1.2.2: Timer F informs the TU of a timeout
  }
  Actions a;
  if (fired(timer_e_, now)) {
    // §17.1.2.2: in trying the interval doubles up to T2; in proceeding it is T2.
    timer_e_interval_ = state_ == TxState::trying ? capped_backoff(timer_e_interval_) : kT2;
    timer_e_ = now + timer_e_interval_;
    a.send = request_;
  }
  return with_wake(std::move(a));
}

// RFC 3261 §17.1.4: a transport failure is reported to the TU and ends the transaction.
NonInviteClientTx::Actions NonInviteClientTx::on_transport_error(TimePoint) {
  if (state_ == TxState::terminated) {
    return {};
  }
  return terminate(TxOutcome::transport_error);
}

NonInviteClientTx::Actions NonInviteClientTx::terminate(TxOutcome outcome) {
  state_ = TxState::terminated;
  timer_e_.reset();
  timer_f_.reset();
  timer_k_.reset();
  Actions a;
  a.done = outcome;
  return a;
}

NonInviteClientTx::Actions NonInviteClientTx::with_wake(Actions a) const {
  a.wake_at = earliest(earliest(timer_e_, timer_f_), timer_k_);
  return a;
}

}  // namespace fedgate::sip
