// RFC 3261 §17.2.2: non-INVITE server transaction. Sans-I/O: the owner creates it for a new
// request (and hands that request to the TU), feeds retransmissions, TU responses and the
// time, and carries out the Actions. Owned by one connection's transaction layer; its strand.
#pragma once

#include <optional>

#include "gateway/base/clock.hpp"
#include "gateway/base/result.hpp"
#include "sip/codec/message.hpp"
#include "sip/txn/timers.hpp"
#include "sip/txn/tx_actions.hpp"
#include "sip/txn/tx_state.hpp"

namespace fedgate::sip {

class NonInviteServerTx {
 public:
  using Actions = ServerTxActions;

  NonInviteServerTx(Request request, bool reliable_transport);
  // A retransmission of the request from the network.
  Actions on_request(const Request& retransmission, TimePoint now);
  // A response from the TU; fails once a final response has been sent.
  result<Actions> on_tu_response(Response response, TimePoint now);
  Actions on_wake(TimePoint now);
  Actions on_transport_error(TimePoint now);

  TxState state() const { return state_; }
  const Request& request() const { return request_; }

 private:
  Actions terminate(TxOutcome outcome);
  Actions with_wake(Actions a) const;

  Request request_;
  bool reliable_;
  TxState state_ = TxState::trying;
  std::optional<Response> last_response_;
  std::optional<TimePoint> timer_j_;
};

}  // namespace fedgate::sip
