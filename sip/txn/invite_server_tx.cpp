// RFC 3261 §17.2.1 INVITE server transaction (Figure 7).
#include "sip/txn/invite_server_tx.hpp"

#include <utility>

#include "sip/codec/error_response.hpp"
#include "sip/txn/tx_error.hpp"

namespace fedgate::sip {

InviteServerTx::InviteServerTx(Request invite, bool reliable_transport)
    : invite_(std::move(invite)), reliable_(reliable_transport) {}

// RFC 3261 §17.2.1: the transaction answers 100 Trying itself (no To tag, §8.2.6.1).
InviteServerTx::Actions InviteServerTx::start(TimePoint) {
  state_ = TxState::proceeding;
  last_response_ = make_error_response(invite_, 100, "Trying");
  Actions a;
  a.send = last_response_;
  return with_wake(std::move(a));
}

InviteServerTx::Actions InviteServerTx::on_request(const Request& request, TimePoint now) {
  if (request.method == Method::ack) {
    return on_ack(now);
  }
  Actions a;
  if (state_ == TxState::proceeding || state_ == TxState::completed) {
    a.send = last_response_;  // §17.2.1: a retransmitted INVITE gets the latest response
  }
  return with_wake(std::move(a));  // RFC 6026 §8.5: absorbed in accepted
}

// RFC 3261 §17.2.1: the ACK moves completed to confirmed and starts Timer I; further ACKs
// are absorbed.
InviteServerTx::Actions InviteServerTx::on_ack(TimePoint now) {
  if (state_ != TxState::completed) {
    return with_wake({});
  }
  state_ = TxState::confirmed;
  timer_g_.reset();
  timer_h_.reset();
  if (reliable_) {
    return terminate(TxOutcome::final_response);  // Timer I is zero
  }
  timer_i_ = now + timer_i(reliable_);
  return with_wake({});
}

result<InviteServerTx::Actions> InviteServerTx::on_tu_response(Response response, TimePoint now) {
  if (response.status < 100 || response.status > 699) {
    return TxErrc::bad_status;
  }
  if (state_ == TxState::accepted && response.status / 100 == 2) {
    Actions a = with_wake({});  // RFC 6026 §8.7: further 2xx from the TU go to the transport
    a.send = std::move(response);
    return a;
  }
  if (state_ != TxState::proceeding) {
    return TxErrc::final_response_sent;
  }
  last_response_ = std::move(response);
  if (last_response_->status >= 300) {
    return on_non_2xx_final(now);
  }
  if (last_response_->status >= 200) {
    state_ = TxState::accepted;  // RFC 6026 §8.7: 2xx → accepted, Timer L
    timer_l_ = now + kTimerL;
  }
  Actions a = with_wake({});  // §17.2.1: a provisional stays in proceeding
  a.send = last_response_;
  return a;
}

// RFC 3261 §17.2.1: 300–699 → completed; Timer G (unreliable only) and Timer H.
InviteServerTx::Actions InviteServerTx::on_non_2xx_final(TimePoint now) {
  state_ = TxState::completed;
  timer_h_ = now + kTimerH;
  if (!reliable_) {
    timer_g_ = now + timer_g_interval_;
  }
  Actions a;
  a.send = last_response_;
  return with_wake(std::move(a));
}

InviteServerTx::Actions InviteServerTx::on_wake(TimePoint now) {
  if (fired(timer_l_, now)) {
    return terminate(TxOutcome::final_response);  // RFC 6026 §8.7: Timer L, accepted → terminated
  }
  if (fired(timer_i_, now)) {
    return terminate(TxOutcome::final_response);  // §17.2.1: Timer I, confirmed → terminated
  }
  if (fired(timer_h_, now)) {
    return terminate(TxOutcome::timeout);  // §17.2.1: no ACK before Timer H
  }
  Actions a;
  if (fired(timer_g_, now)) {
    timer_g_interval_ = capped_backoff(timer_g_interval_);  // §17.2.1: min(2*G, T2)
    timer_g_ = now + timer_g_interval_;
    a.send = last_response_;
  }
  return with_wake(std::move(a));
}

// RFC 3261 §17.2.4: a failure to send a response ends the transaction; the TU is told.
InviteServerTx::Actions InviteServerTx::on_transport_error(TimePoint) {
  if (state_ == TxState::terminated) {
    return {};
  }
  return terminate(TxOutcome::transport_error);
}

InviteServerTx::Actions InviteServerTx::terminate(TxOutcome outcome) {
  state_ = TxState::terminated;
  timer_g_.reset();
  timer_h_.reset();
  timer_i_.reset();
  timer_l_.reset();
  Actions a;
  a.done = outcome;
  return a;
}

InviteServerTx::Actions InviteServerTx::with_wake(Actions a) const {
  a.wake_at = earliest(earliest(earliest(timer_g_, timer_h_), timer_i_), timer_l_);
  return a;
}

}  // namespace fedgate::sip
