// The transaction table: RFC 3261 §17.1.3 / §17.2.3 matching, §8.2.2.2 merged requests,
// RFC 6026 accepted-state routing of 2xx retransmissions and ACKs.
#include "sip/txn/transaction_table.hpp"

#include <type_traits>

#include "sip/txn/tx_error.hpp"

namespace fedgate::sip {
namespace {

bool is_server(
    const std::variant<InviteClientTx, NonInviteClientTx, InviteServerTx, NonInviteServerTx>& m) {
  return std::holds_alternative<InviteServerTx>(m) || std::holds_alternative<NonInviteServerTx>(m);
}

}  // namespace

result<RequestMatch> TransactionTable::on_request(const Request& request, bool reliable,
                                                  TimePoint now) {
  auto key = server_key(request);
  if (!key) {
    return key.error();
  }
  if (auto tx = find(*key)) {
    return on_known(*tx, request, now);
  }
  if (request.method == Method::ack) {
    return RequestMatch{RequestKind::ack, 0, std::nullopt, {}};  // the ACK of a 2xx (§13.3.1.4)
  }
  if (!request.to.tag()) {
    MergeKey merge{request.from.tag().value_or(""), request.call_id, request.cseq.sequence,
                   std::string(request.cseq.name())};
    if (pending_.contains(merge)) {
      return RequestMatch{RequestKind::merged, 0, std::nullopt, {}};
    }
  }
  return on_new(request, *key, reliable, now);
}

// §17.2.3 matched: a retransmission, or an ACK (absorbed after a non-2xx, passed up after a
// 2xx: RFC 6026 §8.7).
RequestMatch TransactionTable::on_known(TxId tx, const Request& request, TimePoint now) {
  Entry& entry = entries_.at(tx);
  RequestMatch match{RequestKind::absorbed, tx, std::nullopt, {}};
  if (auto* invite = std::get_if<InviteServerTx>(&entry.machine)) {
    if (request.method == Method::ack && invite->state() == TxState::accepted) {
      match.kind = RequestKind::ack;
    }
    apply(tx, invite->on_request(request, now), match.effects);
  } else if (auto* other = std::get_if<NonInviteServerTx>(&entry.machine)) {
    apply(tx, other->on_request(request, now), match.effects);
  }
  return match;
}

RequestMatch TransactionTable::on_new(const Request& request, const ServerTxKey& key, bool reliable,
                                      TimePoint now) {
  Keys keys;
  keys.server.push_back(key);
  if (!request.to.tag()) {
    keys.merge = MergeKey{request.from.tag().value_or(""), request.call_id, request.cseq.sequence,
                          std::string(request.cseq.name())};
  }
  RequestMatch match{RequestKind::new_request, 0, std::nullopt, {}};
  if (request.method == Method::invite) {
    InviteServerTx machine{request, reliable};
    auto started = machine.start(now);  // 100 Trying (§17.2.1)
    match.tx = insert(std::move(machine), std::move(keys));
    apply(match.tx, std::move(started), match.effects);
    return match;
  }
  match.tx = insert(NonInviteServerTx{request, reliable}, std::move(keys));
  if (request.method == Method::cancel) {
    match.kind = RequestKind::cancel;
    if (auto invite_key = cancelled_invite_key(request)) {
      match.cancelled = find(*invite_key);
    }
  }
  return match;
}

result<TxEffects> TransactionTable::on_tu_response(TxId tx, Response response, TimePoint now) {
  auto it = entries_.find(tx);
  if (it == entries_.end() || !is_server(it->second.machine)) {
    return TxErrc::unknown_transaction;
  }
  TxEffects effects;
  if (auto* invite = std::get_if<InviteServerTx>(&it->second.machine)) {
    if (response.status >= 200) {
      file_legacy_ack_key(tx, response);
    }
    auto actions = invite->on_tu_response(std::move(response), now);
    if (!actions) {
      return actions.error();
    }
    apply(tx, std::move(*actions), effects);
    return effects;
  }
  auto& machine = std::get<NonInviteServerTx>(it->second.machine);
  auto actions = machine.on_tu_response(std::move(response), now);
  if (!actions) {
    return actions.error();
  }
  apply(tx, std::move(*actions), effects);
  return effects;
}

// §17.2.3: the ACK of a final response carries that response's To tag; an RFC 2543 peer's
// ACK is found by it.
void TransactionTable::file_legacy_ack_key(TxId tx, const Response& response) {
  Entry& entry = entries_.at(tx);
  auto& keys = entry.keys.server;
  if (!keys.front().legacy || keys.size() > 1) {
    return;
  }
  const Request& invite = std::get<InviteServerTx>(entry.machine).request();
  ServerTxKey alias = with_to_tag(invite, keys.front(), response.to.tag().value_or(""));
  if (!servers_.contains(alias)) {
    servers_.emplace(alias, tx);
    keys.push_back(std::move(alias));
  }
}

result<TxId> TransactionTable::start_client(Request request, bool reliable, TimePoint now,
                                            TxEffects& effects) {
  auto key = client_key(request);
  if (!key) {
    return key.error();
  }
  if (clients_.contains(*key)) {
    return TxErrc::duplicate_transaction;
  }
  Keys keys;
  keys.client = *key;
  TxId tx = 0;
  if (request.method == Method::invite) {
    InviteClientTx machine{std::move(request), reliable};
    auto started = machine.start(now);
    tx = insert(std::move(machine), std::move(keys));
    apply(tx, std::move(started), effects);
  } else {
    NonInviteClientTx machine{std::move(request), reliable};
    auto started = machine.start(now);
    tx = insert(std::move(machine), std::move(keys));
    apply(tx, std::move(started), effects);
  }
  return tx;
}

TxEffects TransactionTable::on_response(const Response& response, TimePoint now) {
  TxEffects effects;
  auto key = client_key(response);
  if (!key) {
    return effects;
  }
  auto it = clients_.find(*key);
  if (it == clients_.end()) {
    return effects;  // a stray: no transaction (RFC 6026 §8.4 after Timer M)
  }
  TxId tx = it->second;
  std::visit(
      [&](auto& machine) {
        using T = std::decay_t<decltype(machine)>;
        if constexpr (std::is_same_v<T, InviteClientTx> || std::is_same_v<T, NonInviteClientTx>) {
          apply(tx, machine.on_response(response, now), effects);
        }
      },
      entries_.at(tx).machine);
  return effects;
}

TxEffects TransactionTable::on_wake(TimePoint now) {
  TxEffects effects;
  std::vector<TxId> due;
  for (auto it = wakes_.begin(); it != wakes_.end() && it->first <= now; ++it) {
    due.push_back(it->second);
  }
  for (TxId tx : due) {
    auto it = entries_.find(tx);
    if (it != entries_.end()) {
      std::visit([&](auto& machine) { apply(tx, machine.on_wake(now), effects); },
                 it->second.machine);
    }
  }
  return effects;
}

TxEffects TransactionTable::on_transport_error(TxId tx, TimePoint now) {
  TxEffects effects;
  auto it = entries_.find(tx);
  if (it != entries_.end()) {
    std::visit([&](auto& machine) { apply(tx, machine.on_transport_error(now), effects); },
               it->second.machine);
  }
  return effects;
}

std::optional<TimePoint> TransactionTable::next_wake() const {
  if (wakes_.empty()) {
    return std::nullopt;
  }
  return wakes_.begin()->first;
}

std::optional<TxState> TransactionTable::state(TxId tx) const {
  auto it = entries_.find(tx);
  if (it == entries_.end()) {
    return std::nullopt;
  }
  return std::visit([](const auto& machine) { return machine.state(); }, it->second.machine);
}

const Request* TransactionTable::request(TxId tx) const {
  auto it = entries_.find(tx);
  if (it == entries_.end()) {
    return nullptr;
  }
  return std::visit([](const auto& machine) { return &machine.request(); }, it->second.machine);
}

std::optional<TxId> TransactionTable::find(const ServerTxKey& key) const {
  auto it = servers_.find(key);
  if (it == servers_.end()) {
    return std::nullopt;
  }
  return it->second;
}

TxId TransactionTable::insert(Machine machine, Keys keys) {
  TxId tx = next_id_++;
  if (keys.client) {
    clients_.emplace(*keys.client, tx);
  }
  for (const auto& key : keys.server) {
    servers_.emplace(key, tx);
  }
  if (keys.merge) {
    pending_.emplace(*keys.merge, tx);
  }
  entries_.emplace(tx, Entry{std::move(machine), std::move(keys), std::nullopt});
  return tx;
}

template <class Actions>
void TransactionTable::apply(TxId tx, Actions actions, TxEffects& effects) {
  if (actions.send) {
    effects.send.push_back(TxSend{tx, Message{std::move(*actions.send)}});
  }
  if constexpr (std::is_same_v<Actions, ClientTxActions>) {
    if (actions.to_tu) {
      effects.to_tu.push_back(TxResponse{tx, std::move(*actions.to_tu)});
    }
  }
  if (actions.done) {
    effects.ended.push_back(TxEnd{tx, *actions.done});
    erase(tx);
    return;
  }
  set_wake(tx, actions.wake_at);
}

void TransactionTable::set_wake(TxId tx, std::optional<TimePoint> at) {
  Entry& entry = entries_.at(tx);
  if (entry.wake) {
    wakes_.erase({*entry.wake, tx});
  }
  entry.wake = at;
  if (at) {
    wakes_.emplace(*at, tx);
  }
}

void TransactionTable::erase(TxId tx) {
  auto it = entries_.find(tx);
  if (it == entries_.end()) {
    return;
  }
  Entry& entry = it->second;
  if (entry.wake) {
    wakes_.erase({*entry.wake, tx});
  }
  if (entry.keys.client) {
    clients_.erase(*entry.keys.client);
  }
  for (const auto& key : entry.keys.server) {
    servers_.erase(key);
  }
  if (entry.keys.merge) {
    pending_.erase(*entry.keys.merge);
  }
  entries_.erase(it);
}

}  // namespace fedgate::sip
