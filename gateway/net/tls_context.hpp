// TLS contexts for both connection managers: server (mutual TLS, SNI picks the certificate for
// the requested local domain) and client (sends SNI). Owned by gw_net; built at start-up, then
// shared read-only by every I/O thread. RFC 8446/5246 versions, RFC 6066 §3 SNI.
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/base/result.hpp"

namespace fedgate::gateway {

enum class TlsVersion { tls1_2, tls1_3 };

struct TlsIdentity {
  std::filesystem::path cert;  // PEM: leaf first, then intermediates
  std::filesystem::path key;
};

struct TlsSettings {
  TlsIdentity identity;                     // the default certificate
  std::vector<TlsIdentity> sni_identities;  // server: chosen when SNI matches one of its DNS-IDs
  std::filesystem::path ca;                 // trusted CAs; empty: OpenSSL's default paths
  TlsVersion min_version = TlsVersion::tls1_2;
  TlsVersion max_version = TlsVersion::tls1_3;  // tls1_2 for TLS 1.2-only (Lync, sipsak)
  std::string cipher_list;   // TLS <= 1.2, OpenSSL syntax (may name non-EC suites); "" = default
  std::string ciphersuites;  // TLS 1.3 suites; "" = default
  bool request_client_certificate = true;  // server side of mutual TLS
  // false: the handshake completes whatever the peer presents and check_peer() decides, with
  // the precise reason (XMPP falls back to dialback). true: chain errors fail the handshake.
  bool verify_in_handshake = false;
  bool release_buffers = true;  // SSL_MODE_RELEASE_BUFFERS: idle connections hold no buffers
  // false: no session cache, no tickets (TLS 1.2 and 1.3): about 9 kB less per idle
  // connection (tests/bench/net), at the price of full handshakes on reconnect.
  bool session_resumption = true;
};

// A ready ssl::context plus the per-domain contexts SNI switches to. Cheap to copy (shared).
class TlsContext {
 public:
  static result<TlsContext> server(const TlsSettings& settings);
  static result<TlsContext> client(const TlsSettings& settings);

  boost::asio::ssl::context& native() const;
  bool is_server() const;

  struct State;  // implementation detail (tls_context.cpp)

 private:
  explicit TlsContext(std::shared_ptr<State> state) : state_(std::move(state)) {}
  std::shared_ptr<State> state_;
};

// Client side: put `host` in the ClientHello's server_name (RFC 6066 §3). IP literals are
// not sent, as the RFC requires.
result<void> set_client_sni(SSL* ssl, std::string_view host);
// Server side, after the handshake: the name the client asked for ("" if none).
std::string requested_server_name(SSL* ssl);

}  // namespace fedgate::gateway
