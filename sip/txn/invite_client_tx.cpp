// RFC 3261 §17.1.1 INVITE client transaction (Figure 5).
#include "sip/txn/invite_client_tx.hpp"

#include <utility>

namespace fedgate::sip {

Request make_non_2xx_ack(const Request& invite, const Response& response) {
  Request ack;
  ack.method = Method::ack;
  ack.request_uri = invite.request_uri;
  if (!invite.via.empty()) {
    ack.via.push_back(invite.via.front());  // only the top Via of the original request
  }
  ack.from = invite.from;
  ack.to = response.to;  // carries the tag the UAS added
  ack.call_id = invite.call_id;
  ack.cseq = CSeq{invite.cseq.sequence, Method::ack, {}};
  ack.route = invite.route;
  ack.max_forwards = 70;
  return ack;
}

InviteClientTx::InviteClientTx(Request invite, bool reliable_transport)
    : invite_(std::move(invite)), reliable_(reliable_transport) {}

// RFC 3261 §17.1.1.2: send the INVITE, start Timer B, and Timer A on unreliable transports.
InviteClientTx::Actions InviteClientTx::start(TimePoint now) {
  state_ = TxState::calling;
  timer_b_ = now + kTimerB;
  if (!reliable_) {
    timer_a_ = now + timer_a_interval_;
  }
  Actions a;
  a.send = invite_;
  return with_wake(std::move(a));
}

InviteClientTx::Actions InviteClientTx::on_response(const Response& response, TimePoint now) {
  if (state_ == TxState::completed && response.status >= 300) {
    Actions a;  // §17.1.1.2: a retransmitted final is answered with the ACK, not passed up
    a.send = ack_;
    return with_wake(std::move(a));
  }
  if (state_ == TxState::accepted && response.status / 100 == 2) {
    Actions a = with_wake({});  // RFC 6026 §8.4: 2xx retransmissions go to the TU (it ACKs)
    a.to_tu = response;
    return a;
  }
  if (state_ != TxState::calling && state_ != TxState::proceeding) {
    return with_wake({});
  }
  if (response.status >= 300) {
    return on_non_2xx_final(response, now);
  }
  if (response.status >= 200) {
    state_ = TxState::accepted;  // RFC 6026 §8.4: 2xx → accepted, Timer M
    timer_a_.reset();
    timer_b_.reset();
    timer_m_ = now + kTimerM;
    Actions a = with_wake({});
    a.to_tu = response;
    return a;
  }
  state_ = TxState::proceeding;  // §17.1.1.2: no more retransmissions, no Timer B
  timer_a_.reset();
  timer_b_.reset();
  Actions a;
  a.to_tu = response;
  return with_wake(std::move(a));
}

// RFC 3261 §17.1.1.2: 300–699 goes to the TU, the transaction ACKs it and waits Timer D.
InviteClientTx::Actions InviteClientTx::on_non_2xx_final(const Response& response, TimePoint now) {
  timer_a_.reset();
  timer_b_.reset();
  ack_ = make_non_2xx_ack(invite_, response);
  state_ = TxState::completed;
  Actions a;
  if (reliable_) {
    a = terminate(TxOutcome::final_response);  // Timer D is zero
  } else {
    timer_d_ = now + timer_d(reliable_);
    a = with_wake({});
  }
  a.send = ack_;
  a.to_tu = response;
  return a;
}

InviteClientTx::Actions InviteClientTx::on_wake(TimePoint now) {
  if (fired(timer_m_, now)) {
    return terminate(TxOutcome::final_response);  // RFC 6026 §8.4: Timer M, accepted → terminated
  }
  if (fired(timer_d_, now)) {
    return terminate(TxOutcome::final_response);  // §17.1.1.2: Timer D, completed → terminated
  }
  if (fired(timer_b_, now)) {
    return terminate(TxOutcome::timeout);  // §17.1.1.2: Timer B in calling
  }
  Actions a;
  if (fired(timer_a_, now)) {
    timer_a_interval_ = 2 * timer_a_interval_;  // §17.1.1.2: doubled, no T2 cap
    timer_a_ = now + timer_a_interval_;
    a.send = invite_;
  }
  return with_wake(std::move(a));
}

// RFC 3261 §17.1.4: a transport failure is reported to the TU and ends the transaction.
InviteClientTx::Actions InviteClientTx::on_transport_error(TimePoint) {
  if (state_ == TxState::terminated) {
    return {};
  }
  return terminate(TxOutcome::transport_error);
}

InviteClientTx::Actions InviteClientTx::terminate(TxOutcome outcome) {
  state_ = TxState::terminated;
  timer_a_.reset();
  timer_b_.reset();
  timer_d_.reset();
  timer_m_.reset();
  Actions a;
  a.done = outcome;
  return a;
}

InviteClientTx::Actions InviteClientTx::with_wake(Actions a) const {
  a.wake_at = earliest(earliest(earliest(timer_a_, timer_b_), timer_d_), timer_m_);
  return a;
}

}  // namespace fedgate::sip
