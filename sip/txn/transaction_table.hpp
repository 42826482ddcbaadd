// TransactionTable: the owner of every client and server transaction of one SIP agent; matches
// requests and responses to them (RFC 3261 §17.1.3, §17.2.3 incl. the RFC 2543 fallback),
// absorbs retransmissions, and applies RFC 6026 (2xx retransmissions and their ACKs reach the
// TU). Sans-I/O, in sip_core: events and `now` in, TxEffects out; used on its owner's strand.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#include "gateway/base/clock.hpp"
#include "gateway/base/result.hpp"
#include "sip/codec/message.hpp"
#include "sip/txn/invite_client_tx.hpp"
#include "sip/txn/invite_server_tx.hpp"
#include "sip/txn/non_invite_client_tx.hpp"
#include "sip/txn/non_invite_server_tx.hpp"
#include "sip/txn/tx_key.hpp"

namespace fedgate::sip {

using TxId = std::uint64_t;

struct TxSend {
  TxId tx = 0;
  Message message;  // send on the transaction's transport
  friend bool operator==(const TxSend&, const TxSend&) = default;
};
struct TxResponse {
  TxId tx = 0;
  Response response;  // for the TU that started client transaction `tx`
  friend bool operator==(const TxResponse&, const TxResponse&) = default;
};
struct TxEnd {
  TxId tx = 0;
  TxOutcome outcome = TxOutcome::final_response;
  friend bool operator==(const TxEnd&, const TxEnd&) = default;
};

// What the owner does after an event, in this order: send, hand responses up, forget ended
// transactions (their ids are never reused).
struct TxEffects {
  std::vector<TxSend> send;
  std::vector<TxResponse> to_tu;
  std::vector<TxEnd> ended;
  friend bool operator==(const TxEffects&, const TxEffects&) = default;
};

enum class RequestKind {
  new_request,  // a new server transaction `tx`: hand the request to the TU
  absorbed,     // a retransmission, or the ACK of a non-2xx final: nothing for the TU
  ack,          // an ACK for a 2xx (RFC 6026 §8.7, or matching no transaction): for the TU
  cancel,       // a CANCEL: new server transaction `tx`; `cancelled` is the INVITE's, if any
  merged,       // §8.2.2.2: same From tag, Call-ID and CSeq as a pending request: answer 482
};

struct RequestMatch {
  RequestKind kind = RequestKind::new_request;
  TxId tx = 0;
  std::optional<TxId> cancelled;
  TxEffects effects;
};

class TransactionTable {
 public:
  // A request from the network. Errors: TxErrc::missing_via.
  result<RequestMatch> on_request(const Request& request, bool reliable, TimePoint now);
  // The TU's response on server transaction `tx`. Errors: unknown_transaction, and those of
  // the machines (final_response_sent, bad_status).
  result<TxEffects> on_tu_response(TxId tx, Response response, TimePoint now);
  // A new client transaction for `request` (never an ACK). Errors: missing_via,
  // missing_branch, duplicate_transaction.
  result<TxId> start_client(Request request, bool reliable, TimePoint now, TxEffects& effects);
  // A response from the network; no to_tu means a stray (no matching transaction).
  TxEffects on_response(const Response& response, TimePoint now);
  // Fires every timer due at `now`.
  TxEffects on_wake(TimePoint now);
  // Sending on transaction `tx` failed (§17.1.4, §17.2.4).
  TxEffects on_transport_error(TxId tx, TimePoint now);

  // The TU will never answer server transaction `tx` (BENOTIFY, MS-SIPRE): drop it quietly.
  void forget(TxId tx) { erase(tx); }

  std::optional<TimePoint> next_wake() const;
  std::size_t size() const { return entries_.size(); }
  std::optional<TxState> state(TxId tx) const;
  const Request* request(TxId tx) const;  // not kept by a reliable non-INVITE client tx

 private:
  using Machine =
      std::variant<InviteClientTx, NonInviteClientTx, InviteServerTx, NonInviteServerTx>;
  // §8.2.2.2 merge detection: From tag, Call-ID, CSeq number and method.
  using MergeKey = std::tuple<std::string, std::string, std::uint32_t, std::string>;
  struct Keys {
    std::optional<ClientTxKey> client;
    std::vector<ServerTxKey> server;  // the key, plus the legacy ACK alias
    std::optional<MergeKey> merge;
  };
  struct Entry {
    Machine machine;
    Keys keys;
    std::optional<TimePoint> wake;
  };

  std::optional<TxId> find(const ServerTxKey& key) const;
  RequestMatch on_known(TxId tx, const Request& request, TimePoint now);
  RequestMatch on_new(const Request& request, const ServerTxKey& key, bool reliable, TimePoint now);
  TxId insert(Machine machine, Keys keys);
  void file_legacy_ack_key(TxId tx, const Response& response);
  template <class Actions>
  void apply(TxId tx, Actions actions, TxEffects& effects);
  void set_wake(TxId tx, std::optional<TimePoint> at);
  void erase(TxId tx);

  TxId next_id_ = 1;
  std::unordered_map<TxId, Entry> entries_;
  std::unordered_map<ClientTxKey, TxId, TxKeyHash> clients_;
  std::unordered_map<ServerTxKey, TxId, TxKeyHash> servers_;
  std::map<MergeKey, TxId> pending_;
  std::set<std::pair<TimePoint, TxId>> wakes_;
};

}  // namespace fedgate::sip
