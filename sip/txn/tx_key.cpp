// Transaction matching keys (RFC 3261 §17.1.3, §17.2.3, §9.2).
#include "sip/txn/tx_key.hpp"

#include <fmt/format.h>

#include <functional>

#include "sip/txn/branch.hpp"
#include "sip/txn/tx_error.hpp"

namespace fedgate::sip {
namespace {

std::string sent_by(const Via& via) {
  return via.port ? fmt::format("{}:{}", via.host, *via.port) : via.host;
}

// §17.2.3: "the method of the request matches the one that created the transaction, except
// for ACK, where the method of the request that created the transaction is INVITE".
std::string server_method(const Request& request) {
  if (request.method == Method::ack) {
    return std::string(to_string(Method::invite));
  }
  return std::string(request.method_name());
}

// §17.2.3, RFC 2543 fallback: Request-URI, To tag, From tag, Call-ID, CSeq number and the
// top Via. An ACK carries the To tag of the response, so the transaction table also files a
// legacy INVITE transaction under the key with its final response's To tag.
std::string legacy_branch(const Request& r) {
  return fmt::format("{}|{}|{}|{}|{}|{}", r.request_uri.str(), r.to.tag().value_or(""),
                     r.from.tag().value_or(""), r.call_id, r.cseq.sequence, r.via.front().str());
}

}  // namespace

result<ClientTxKey> client_key(const Request& request) {
  if (request.via.empty()) {
    return TxErrc::missing_via;
  }
  auto branch = request.via.front().branch();
  if (!branch || branch->empty()) {
    return TxErrc::missing_branch;
  }
  return ClientTxKey{*branch, std::string(request.method_name())};
}

// §17.1.3: the top Via branch and the CSeq method (a CANCEL shares its INVITE's branch).
result<ClientTxKey> client_key(const Response& response) {
  if (response.via.empty()) {
    return TxErrc::missing_via;
  }
  auto branch = response.via.front().branch();
  if (!branch || branch->empty()) {
    return TxErrc::missing_branch;
  }
  return ClientTxKey{*branch, std::string(response.cseq.name())};
}

result<ServerTxKey> server_key(const Request& request) {
  if (request.via.empty()) {
    return TxErrc::missing_via;
  }
  const Via& top = request.via.front();
  auto branch = top.branch();
  if (branch && is_rfc3261_branch(*branch)) {
    return ServerTxKey{*branch, sent_by(top), server_method(request), false};
  }
  return ServerTxKey{legacy_branch(request), sent_by(top), server_method(request), true};
}

ServerTxKey with_to_tag(const Request& request, const ServerTxKey& key, std::string_view to_tag) {
  if (!key.legacy) {
    return key;
  }
  Request tagged = request;
  set_param(tagged.to.params, "tag", std::string(to_tag));
  return ServerTxKey{legacy_branch(tagged), key.sent_by, key.method, true};
}

result<ServerTxKey> cancelled_invite_key(const Request& cancel) {
  if (cancel.method != Method::cancel) {
    return TxErrc::not_a_cancel;
  }
  auto key = server_key(cancel);
  if (key) {
    key->method = std::string(to_string(Method::invite));
  }
  return key;
}

std::size_t TxKeyHash::operator()(const ClientTxKey& k) const noexcept {
  std::hash<std::string> h;
  return h(k.branch) * 31 + h(k.method);
}

std::size_t TxKeyHash::operator()(const ServerTxKey& k) const noexcept {
  std::hash<std::string> h;
  return ((h(k.branch) * 31 + h(k.sent_by)) * 31 + h(k.method)) * 2 + (k.legacy ? 1 : 0);
}

}  // namespace fedgate::sip
