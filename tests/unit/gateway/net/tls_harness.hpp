// Test harness: one real TLS handshake over loopback TCP (port 0) between two TlsContexts,
// each side then running check_peer on what it saw. Bounded: the io_context runs 10 s at most.
#pragma once

#include <string>

#include "gateway/net/peer_check.hpp"
#include "gateway/net/tls_context.hpp"

namespace fedgate::gateway {

struct HandshakeSide {
  error_code handshake;                                       // the side's own handshake result
  result<PeerIdentity> peer = CertErrc::no_peer_certificate;  // its check_peer verdict
  std::string protocol;                                       // "TLSv1.2" / "TLSv1.3"
  std::string cipher;
  std::string server_name;  // server side: the SNI it received
};

struct HandshakeOutcome {
  HandshakeSide server;
  HandshakeSide client;
};

// The server checks the client with `server_policy`; the client checks the server with
// `client_policy` after sending `sni` ("" for none).
HandshakeOutcome run_handshake(const TlsContext& server, const TlsContext& client,
                               const std::string& sni, const PeerPolicy& server_policy,
                               const PeerPolicy& client_policy);

}  // namespace fedgate::gateway
