// Certificate inspection for check-config and peer validation: read, describe, match names.
// Owned by gw_net; pure functions over files and OpenSSL objects, callable from any thread.
// RFC 5280 (chain, validity, EKU), RFC 6125 §6.4 DNS-ID (one left-most wildcard label),
// §6.5 SRV-ID, RFC 6120 §13.7.1.4 XmppAddr.
#pragma once

#include <openssl/x509.h>

#include <boost/system/error_code.hpp>
#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "gateway/base/result.hpp"

namespace fedgate::gateway {

// Every refusal reason a certificate check can give. Messages are precise and stable.
enum class CertErrc {
  unreadable = 1,       // the certificate file cannot be opened or read
  not_pem,              // the file holds no PEM certificate
  key_unreadable,       // the private key file cannot be read or parsed
  key_mismatch,         // the private key does not belong to the certificate
  ca_unreadable,        // the trusted CA file cannot be read or holds no certificate
  expired,              // notAfter is in the past
  not_yet_valid,        // notBefore is in the future
  untrusted_issuer,     // the chain does not end at a trusted CA (incl. self-signed)
  chain_invalid,        // any other chain failure (bad signature, CA flags, path length)
  name_mismatch,        // no DNS-ID / SRV-ID / XmppAddr covers the expected domain
  missing_usage,        // the EKU lacks the usage this role needs (clientAuth/serverAuth)
  pin_mismatch,         // the SHA-256 fingerprint differs from the pinned one
  no_peer_certificate,  // the peer presented no certificate
  generation_failed,    // creating a key or certificate failed (OpenSSL error)
  write_failed,         // writing a PEM file failed
  bad_cipher_list,      // the TLS cipher list or TLS 1.3 suites name nothing usable
  bad_protocol_range,   // minimum TLS version above the maximum
};

const boost::system::error_category& cert_category() noexcept;
boost::system::error_code make_error_code(CertErrc e) noexcept;

struct CertificateInfo {
  std::string subject;  // RFC 2253 one-line form
  std::string issuer;
  std::vector<std::string> dns_names;   // subjectAltName dNSName, lower-case
  std::vector<std::string> xmpp_addrs;  // otherName id-on-xmppAddr (UTF-8)
  std::vector<std::string> srv_names;   // otherName id-on-dnsSRV, e.g. "_xmpp-server.example.com"
  std::chrono::system_clock::time_point not_before, not_after;
  bool has_eku = false;  // without an EKU extension every usage is allowed (RFC 5280 §4.2.1.12)
  bool server_auth = false;
  bool client_auth = false;
  std::string sha256_fingerprint;  // lower-case hex, no separators
};

// The first certificate of a PEM file.
result<CertificateInfo> read_certificate_file(const std::filesystem::path& pem);
CertificateInfo describe(X509* cert);

result<void> check_key_matches(const std::filesystem::path& cert_pem,
                               const std::filesystem::path& key_pem);

// Verifies the first certificate of cert_pem (later ones are intermediates) against the CAs
// in ca_pem: chain and validity, with the precise reason. Usage and names are not checked.
result<void> verify_against_ca(const std::filesystem::path& cert_pem,
                               const std::filesystem::path& ca_pem);

// Verifies `leaf` (with optional untrusted intermediates) against `store` at the current time;
// reports the first failure. Shared by verify_against_ca and the TLS peer check.
result<void> verify_chain(X509* leaf, STACK_OF(X509) * intermediates, X509_STORE* store);
CertErrc cert_errc_from_x509(int x509_verify_error) noexcept;

// RFC 6125 §6.4.3: `pattern` is a DNS-ID; a '*' is allowed only as the whole left-most label
// and matches exactly one label. Case-insensitive; a trailing dot on either side is ignored.
bool dns_name_matches(std::string_view pattern, std::string_view domain);
bool covers_dns_name(const CertificateInfo& cert, std::string_view domain);
// RFC 6125 §6.5.1: SRV-ID "_service.domain", e.g. service "xmpp-server".
bool covers_srv_name(const CertificateInfo& cert, std::string_view service,
                     std::string_view domain);
// RFC 6120 §13.7.1.4: an XmppAddr equal to the bare domain.
bool covers_xmpp_addr(const CertificateInfo& cert, std::string_view domain);
// What an XMPP server checks (RFC 6120 §13.7.2.1): DNS-ID, SRV-ID of _xmpp-server or
// _xmpps-server (XEP-0368), or XmppAddr.
bool covers_xmpp_domain(const CertificateInfo& cert, std::string_view domain);

// Lower-case hex SHA-256 of the DER certificate; accepts pins with ':' separators on compare.
std::string sha256_fingerprint(X509* cert);
bool fingerprint_equals(std::string_view a, std::string_view b);

}  // namespace fedgate::gateway

template <>
struct boost::system::is_error_code_enum<fedgate::gateway::CertErrc> : std::true_type {};
