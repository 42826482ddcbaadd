#include "sip/transport/transport_error.hpp"

#include <string>

#include "gateway/net/certificate.hpp"

namespace fedgate::sip {
namespace {

std::string_view token(TransportErrc e) noexcept {
  switch (e) {
    case TransportErrc::handshake_failed:
      return "handshake_failed";
    case TransportErrc::handshake_timeout:
      return "handshake_timeout";
    case TransportErrc::subject_not_allowed:
      return "subject_not_allowed";
    case TransportErrc::connection_limit:
      return "connection_limit";
    case TransportErrc::connect_failed:
      return "connect_failed";
    case TransportErrc::resolve_failed:
      return "resolve_failed";
    case TransportErrc::mailbox_full:
      return "mailbox_full";
    case TransportErrc::connection_closed:
      return "connection_closed";
    case TransportErrc::not_in_acl:
      return "not_in_acl";
    case TransportErrc::bad_ms_keep_alive:
      return "bad_ms_keep_alive";
    case TransportErrc::message_too_large:
      return "message_too_large";
    case TransportErrc::keepalive_timeout:
      return "keepalive_timeout";
  }
  return "other";
}

std::string_view token(gateway::CertErrc e) noexcept {
  using gateway::CertErrc;
  switch (e) {
    case CertErrc::expired:
      return "cert_expired";
    case CertErrc::not_yet_valid:
      return "cert_not_yet_valid";
    case CertErrc::untrusted_issuer:
      return "cert_untrusted_issuer";
    case CertErrc::chain_invalid:
      return "cert_chain_invalid";
    case CertErrc::name_mismatch:
      return "cert_name_mismatch";
    case CertErrc::missing_usage:
      return "cert_missing_usage";
    case CertErrc::pin_mismatch:
      return "cert_pin_mismatch";
    case CertErrc::no_peer_certificate:
      return "no_peer_certificate";
    default:
      return "cert_other";
  }
}

class TransportCategory final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "fedgate.sip.transport"; }
  std::string message(int ev) const override {
    switch (static_cast<TransportErrc>(ev)) {
      case TransportErrc::handshake_failed:
        return "TLS handshake failed";
      case TransportErrc::handshake_timeout:
        return "TLS handshake timed out";
      case TransportErrc::subject_not_allowed:
        return "TLS peer subject is not in the allow-list";
      case TransportErrc::connection_limit:
        return "too many connections from this address";
      case TransportErrc::connect_failed:
        return "connecting to the peer failed";
      case TransportErrc::resolve_failed:
        return "the peer's host did not resolve";
      case TransportErrc::mailbox_full:
        return "the connection's mailbox is full";
      case TransportErrc::connection_closed:
        return "the connection is closed";
      case TransportErrc::not_in_acl:
        return "the peer is not in the incoming ACL";
      case TransportErrc::bad_ms_keep_alive:
        return "malformed Ms-Keep-Alive header";
      case TransportErrc::message_too_large:
        return "the message is too large for a UDP datagram";
      case TransportErrc::keepalive_timeout:
        return "no answer to a CRLF keep-alive";
    }
    return "unknown transport error";
  }
};

}  // namespace

const boost::system::error_category& transport_category() noexcept {
  static const TransportCategory category;
  return category;
}

std::string_view reason_token(const boost::system::error_code& ec) noexcept {
  if (ec.category() == transport_category()) {
    return token(static_cast<TransportErrc>(ec.value()));
  }
  if (ec.category() == gateway::cert_category()) {
    return token(static_cast<gateway::CertErrc>(ec.value()));
  }
  return "other";
}

}  // namespace fedgate::sip
