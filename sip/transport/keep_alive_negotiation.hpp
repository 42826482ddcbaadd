// KeepAliveNegotiation: the Ms-Keep-Alive exchange of one connection (MS-CONMGMT §2.2.1):
// offers received that still await their answer, and our own offer until it is answered.
// Shared by the connection (read side, its strand) and its handles (send side, any
// executor), hence the mutex. Sans-I/O. RFC 5626 §3.5.1 CRLF keep-alives are what it agrees on.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "sip/codec/message.hpp"
#include "sip/transport/ms_keep_alive.hpp"

namespace fedgate::sip {

class KeepAliveNegotiation {
 public:
  // `offer`: put "UAC;hop-hop=yes" in our requests until a response answers it (outbound
  // connections). `answer_timeout_seconds`: the timeout our UAS answers announce.
  KeepAliveNegotiation(bool offer, std::uint32_t answer_timeout_seconds)
      : offer_(offer), answer_timeout_(answer_timeout_seconds) {}

  // Read side. A request offering keep-alives: remembered until its final response is sent.
  // True when the peer will send CRLF keep-alives (hop-hop=yes) within our timeout.
  bool on_request(const Request& request);
  // Read side. The peer's UAS answer to our offer: the seconds within which it wants our next
  // keep-alive when it asks for hop-hop keep-alives; nullopt otherwise.
  std::optional<std::uint32_t> on_response(const Response& response);
  // Send side. The Ms-Keep-Alive value to add to `message`, if any.
  std::optional<std::string> header_for(const Message& message);

  std::uint32_t answer_timeout() const { return answer_timeout_; }

 private:
  static constexpr std::size_t kMaxPending = 16;  // offers awaiting an answer, oldest dropped

  std::mutex mutex_;
  struct Offer {
    std::string call_id;
    CSeq cseq;  // number and method: the CANCEL of an INVITE shares its number
  };
  std::vector<Offer> pending_;
  bool offer_;
  bool answered_ = false;
  std::uint32_t answer_timeout_;
};

}  // namespace fedgate::sip
