// sip::TransportErrc: why the SIP transport refused or lost a connection, as a
// boost::system error category (STYLE.md B6). Owned by sip_net; any thread.
// The reason() token is the `reason` label of refusals and the log field.
#pragma once

#include <boost/system/error_category.hpp>
#include <boost/system/error_code.hpp>
#include <string_view>
#include <type_traits>

namespace fedgate::sip {

enum class TransportErrc {
  handshake_failed = 1,  // the TLS handshake itself failed (alert, protocol error)
  handshake_timeout,     // no completed handshake within TransportConfig::handshake_timeout
  subject_not_allowed,   // the certificate is valid but its subject is not in the allow-list
  connection_limit,      // too many connections from this address
  connect_failed,        // TCP connect failed or timed out
  resolve_failed,        // the peer's host did not resolve
  mailbox_full,          // the connection's write mailbox is full
  connection_closed,     // the connection has gone
  not_in_acl,            // the peer is neither by address nor by name in the incoming ACL
  bad_ms_keep_alive,     // an Ms-Keep-Alive header that does not follow MS-CONMGMT §2.2.1
  message_too_large,     // a UDP datagram would exceed the maximum datagram size
  keepalive_timeout,     // no answer to a CRLF keep-alive within the keep-alive timeout
};

const boost::system::error_category& transport_category() noexcept;

inline boost::system::error_code make_error_code(TransportErrc e) noexcept {
  return {static_cast<int>(e), transport_category()};
}

// A stable snake_case token for a refusal: TransportErrc and gateway::CertErrc codes map to
// their own names; anything else is "other".
std::string_view reason_token(const boost::system::error_code& ec) noexcept;

}  // namespace fedgate::sip

template <>
struct boost::system::is_error_code_enum<fedgate::sip::TransportErrc> : std::true_type {};
