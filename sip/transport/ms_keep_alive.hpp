// The Microsoft Ms-Keep-Alive header (MS-CONMGMT §2.2.1): parse and write its value, sans-I/O.
// A UAC offers ("UAC;hop-hop=yes") in a request; the UAS answers in the response with its
// capabilities and the keep-alive timeout in seconds. Owned by sip_net; plain value, any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "gateway/base/result.hpp"
#include "sip/codec/message.hpp"
#include "sip/codec/param.hpp"

namespace fedgate::sip {

inline constexpr std::string_view kMsKeepAliveHeader = "ms-keep-alive";

struct MsKeepAlive {
  enum class Role { uac, uas };  // the sender initiates (request) or answers (response)

  Role role = Role::uac;
  // ms-keep-alive-capability: "yes"/"no"; nullopt when the sender did not say.
  std::optional<bool> hop_hop;  // CRLF keep-alives on this connection
  std::optional<bool> end_end;
  std::optional<bool> tcp;               // TCP-level keep-alives
  std::optional<std::uint32_t> timeout;  // seconds
  Params extensions;                     // other mechanisms and generic-params, kept as received

  // Errors: TransportErrc::bad_ms_keep_alive (no role, a capability that is not yes/no, a
  // timeout that is not 1*DIGIT, an empty parameter).
  static result<MsKeepAlive> parse(std::string_view value);
  // "UAS; tcp=no; hop-hop=yes; end-end=no; timeout=300" (the form Microsoft servers send).
  std::string str() const;

  friend bool operator==(const MsKeepAlive&, const MsKeepAlive&) = default;
};

// The message's Ms-Keep-Alive: nullopt when absent; an error when malformed.
std::optional<result<MsKeepAlive>> find_ms_keep_alive(const MessageHeaders& headers);

// Our UAS answer to an offer: CRLF keep-alives (hop-hop) accepted, no TCP or end-to-end
// keep-alive, and the seconds within which we expect the peer's next keep-alive.
MsKeepAlive ms_keep_alive_answer(std::uint32_t timeout_seconds);
// Our UAC offer: "UAC;hop-hop=yes".
MsKeepAlive ms_keep_alive_offer();

// Adds "name: value\r\n" at the end of the header section of serialized message `wire`.
void insert_header(std::string& wire, std::string_view name, std::string_view value);

}  // namespace fedgate::sip
