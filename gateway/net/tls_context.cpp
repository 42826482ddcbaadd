#include "gateway/net/tls_context.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <boost/asio/ip/address.hpp>

#include "gateway/net/certificate.hpp"
#include "gateway/net/x509_builder.hpp"

namespace fedgate::gateway {

namespace ssl = boost::asio::ssl;

struct TlsContext::State {
  explicit State(bool server_side)
      : server(server_side),
        native(server_side ? ssl::context::tls_server : ssl::context::tls_client) {}
  bool server;
  ssl::context native;
  // SNI: the contexts to switch to, with the certificate each one holds.
  std::vector<std::unique_ptr<ssl::context>> sni_contexts;
  std::vector<CertificateInfo> sni_certificates;
};

namespace {

int version_of(TlsVersion v) { return v == TlsVersion::tls1_2 ? TLS1_2_VERSION : TLS1_3_VERSION; }

// The handshake completes whatever the peer presents; check_peer() gives the precise reason.
int accept_any_peer(int, X509_STORE_CTX*) { return 1; }

result<void> load_identity(SSL_CTX* ctx, const TlsIdentity& identity) {
  if (SSL_CTX_use_certificate_chain_file(ctx, identity.cert.c_str()) != 1) {
    auto readable = read_certificate_file(identity.cert);
    return readable ? CertErrc::not_pem : readable.error();
  }
  if (SSL_CTX_use_PrivateKey_file(ctx, identity.key.c_str(), SSL_FILETYPE_PEM) != 1) {
    // OpenSSL refuses a key that does not belong to the certificate here already.
    return load_key_pem(identity.key) ? CertErrc::key_mismatch : CertErrc::key_unreadable;
  }
  if (SSL_CTX_check_private_key(ctx) != 1) {
    return CertErrc::key_mismatch;
  }
  return {};
}

result<void> set_protocols(SSL_CTX* ctx, const TlsSettings& s) {
  if (version_of(s.min_version) > version_of(s.max_version)) {
    return CertErrc::bad_protocol_range;
  }
  SSL_CTX_set_min_proto_version(ctx, version_of(s.min_version));
  SSL_CTX_set_max_proto_version(ctx, version_of(s.max_version));
  if (!s.cipher_list.empty() && SSL_CTX_set_cipher_list(ctx, s.cipher_list.c_str()) != 1) {
    return CertErrc::bad_cipher_list;
  }
  if (!s.ciphersuites.empty() && SSL_CTX_set_ciphersuites(ctx, s.ciphersuites.c_str()) != 1) {
    return CertErrc::bad_cipher_list;
  }
  return {};
}

result<void> set_trust(SSL_CTX* ctx, const TlsSettings& s, bool server) {
  if (s.ca.empty()) {
    SSL_CTX_set_default_verify_paths(ctx);
  } else if (SSL_CTX_load_verify_locations(ctx, s.ca.c_str(), nullptr) != 1) {
    return CertErrc::ca_unreadable;
  }
  int mode = SSL_VERIFY_PEER;
  if (server && !s.request_client_certificate) {
    mode = SSL_VERIFY_NONE;
  } else if (server && s.verify_in_handshake) {
    mode |= SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
  }
  SSL_CTX_set_verify(ctx, mode, s.verify_in_handshake ? nullptr : &accept_any_peer);
  return {};
}

result<void> configure(SSL_CTX* ctx, const TlsSettings& s, const TlsIdentity* identity,
                       bool server) {
  SSL_CTX_set_options(
      ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  if (s.release_buffers) {
    SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);
  }
  if (!s.session_resumption) {
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
    SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
    SSL_CTX_set_num_tickets(ctx, 0);
  }
  if (server) {  // one session-id context for every SNI context, so resumption works
    static const unsigned char kSessionContext[] = "fedgate";
    SSL_CTX_set_session_id_context(ctx, kSessionContext, sizeof kSessionContext - 1);
  }
  if (auto r = set_protocols(ctx, s); !r) {
    return r;
  }
  if (identity != nullptr && !identity->cert.empty()) {
    if (auto r = load_identity(ctx, *identity); !r) {
      return r;
    }
  }
  return set_trust(ctx, s, server);
}

int on_server_name(SSL* ssl, int*, void* arg) {
  const auto* state = static_cast<const TlsContext::State*>(arg);
  const char* name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
  if (name == nullptr) {
    return SSL_TLSEXT_ERR_OK;  // no SNI: the default certificate
  }
  for (std::size_t i = 0; i < state->sni_certificates.size(); ++i) {
    if (covers_dns_name(state->sni_certificates[i], name)) {
      SSL_set_SSL_CTX(ssl, state->sni_contexts[i]->native_handle());
      break;
    }
  }
  return SSL_TLSEXT_ERR_OK;
}

result<void> add_sni_identities(TlsContext::State& state, const TlsSettings& s) {
  for (const auto& identity : s.sni_identities) {
    auto info = read_certificate_file(identity.cert);
    if (!info) {
      return info.error();
    }
    auto ctx = std::make_unique<ssl::context>(ssl::context::tls_server);
    if (auto r = configure(ctx->native_handle(), s, &identity, true); !r) {
      return r;
    }
    state.sni_contexts.push_back(std::move(ctx));
    state.sni_certificates.push_back(std::move(*info));
  }
  SSL_CTX* main = state.native.native_handle();
  SSL_CTX_set_tlsext_servername_callback(main, &on_server_name);
  SSL_CTX_set_tlsext_servername_arg(main, &state);
  return {};
}

}  // namespace

result<TlsContext> TlsContext::server(const TlsSettings& settings) {
  auto state = std::make_shared<State>(true);
  auto r = configure(state->native.native_handle(), settings, &settings.identity, true);
  if (r) {
    r = add_sni_identities(*state, settings);
  }
  ERR_clear_error();
  if (!r) {
    return r.error();
  }
  return TlsContext(std::move(state));
}

result<TlsContext> TlsContext::client(const TlsSettings& settings) {
  auto state = std::make_shared<State>(false);
  auto r = configure(state->native.native_handle(), settings, &settings.identity, false);
  ERR_clear_error();
  if (!r) {
    return r.error();
  }
  return TlsContext(std::move(state));
}

boost::asio::ssl::context& TlsContext::native() const { return state_->native; }

bool TlsContext::is_server() const { return state_->server; }

result<void> set_client_sni(SSL* ssl, std::string_view host) {
  boost::system::error_code ec;
  boost::asio::ip::make_address(std::string(host), ec);
  if (!ec || host.empty()) {
    return {};  // RFC 6066 §3: literal IPv4 and IPv6 addresses are not permitted in SNI
  }
  std::string name(host);
  if (name.back() == '.') {
    name.pop_back();
  }
  if (SSL_set_tlsext_host_name(ssl, name.c_str()) != 1) {
    ERR_clear_error();
    return CertErrc::name_mismatch;
  }
  return {};
}

std::string requested_server_name(SSL* ssl) {
  const char* name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
  return name != nullptr ? std::string(name) : std::string();
}

}  // namespace fedgate::gateway
