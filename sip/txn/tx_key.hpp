// Transaction matching keys: RFC 3261 §17.1.3 (responses to client transactions: top-Via
// branch + CSeq method) and §17.2.3 (requests to server transactions: branch + sent-by +
// method, ACK matching its INVITE, CANCEL its own transaction). Owned by sip_core; pure.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "gateway/base/result.hpp"
#include "sip/codec/message.hpp"

namespace fedgate::sip {

struct ClientTxKey {
  std::string branch;
  std::string method;  // the request's method; a response's CSeq method
  friend bool operator==(const ClientTxKey&, const ClientTxKey&) = default;
};

// For RFC 3261 branches (magic cookie): branch, sent-by and method. For RFC 2543 peers the
// branch is replaced by the §17.2.3 fallback fields (Request-URI, To tag, From tag, Call-ID,
// CSeq number, top Via) and `legacy` is set. An ACK's To tag is that of the final response,
// so TransactionTable files legacy INVITE transactions under that key too (with_to_tag).
struct ServerTxKey {
  std::string branch;
  std::string sent_by;  // host[:port] of the top Via
  std::string method;   // INVITE for an ACK
  bool legacy = false;
  friend bool operator==(const ServerTxKey&, const ServerTxKey&) = default;
};

// The key of the client transaction that sends `request`, or of the one `response` answers.
result<ClientTxKey> client_key(const Request& request);
result<ClientTxKey> client_key(const Response& response);
// The key of the server transaction `request` belongs to (a new one if none matches).
result<ServerTxKey> server_key(const Request& request);
// A legacy key with `to_tag` in place of the request's To tag (what the ACK of a final
// response carrying that tag looks up, §17.2.3); an RFC 3261 key is returned unchanged.
ServerTxKey with_to_tag(const Request& request, const ServerTxKey& key, std::string_view to_tag);
// The key of the INVITE server transaction a CANCEL cancels (§9.2).
result<ServerTxKey> cancelled_invite_key(const Request& cancel);

struct TxKeyHash {
  std::size_t operator()(const ClientTxKey& k) const noexcept;
  std::size_t operator()(const ServerTxKey& k) const noexcept;
};

}  // namespace fedgate::sip
