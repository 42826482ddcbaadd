// RFC 3261 §17.2.1: INVITE server transaction: 100 Trying, retransmission of the final
// response on unreliable transports (Timer G), Timers H and I, ACK absorption. Sans-I/O; owned
// by the transaction table, on its owner's strand. RFC 6026 §8.7: a 2xx from the TU moves it
// to accepted (Timer L): INVITE retransmissions are absorbed, ACKs go to the TU (the table).
#pragma once

#include <optional>

#include "gateway/base/clock.hpp"
#include "gateway/base/result.hpp"
#include "sip/codec/message.hpp"
#include "sip/txn/timers.hpp"
#include "sip/txn/tx_actions.hpp"
#include "sip/txn/tx_state.hpp"

namespace fedgate::sip {

class InviteServerTx {
 public:
  using Actions = ServerTxActions;

  InviteServerTx(Request invite, bool reliable_transport);
  // Enters proceeding and sends 100 Trying (§17.2.1).
  Actions start(TimePoint now);
  // An INVITE retransmission or the ACK for a non-2xx final response.
  Actions on_request(const Request& request, TimePoint now);
  // A response from the TU; fails once a final response has been sent.
  result<Actions> on_tu_response(Response response, TimePoint now);
  Actions on_wake(TimePoint now);
  Actions on_transport_error(TimePoint now);

  TxState state() const { return state_; }
  const Request& request() const { return invite_; }

 private:
  Actions on_ack(TimePoint now);
  Actions on_non_2xx_final(TimePoint now);
  Actions terminate(TxOutcome outcome);
  Actions with_wake(Actions a) const;

  Request invite_;
  bool reliable_;
  TxState state_ = TxState::proceeding;
  std::optional<Response> last_response_;
  Duration timer_g_interval_ = kTimerGInitial;
  std::optional<TimePoint> timer_g_;
  std::optional<TimePoint> timer_h_;
  std::optional<TimePoint> timer_i_;
  std::optional<TimePoint> timer_l_;
};

}  // namespace fedgate::sip
