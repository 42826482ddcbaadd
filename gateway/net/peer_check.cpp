#include "gateway/net/peer_check.hpp"

#include <openssl/x509_vfy.h>

namespace fedgate::gateway {
namespace {

result<void> check_validity_only(X509* leaf) {
  if (X509_cmp_current_time(X509_get0_notBefore(leaf)) > 0) {
    return CertErrc::not_yet_valid;
  }
  if (X509_cmp_current_time(X509_get0_notAfter(leaf)) < 0) {
    return CertErrc::expired;
  }
  return {};
}

bool name_covered(const CertificateInfo& info, const PeerPolicy& policy) {
  return policy.names == NameRules::xmpp ? covers_xmpp_domain(info, policy.domain)
                                         : covers_dns_name(info, policy.domain);
}

// RFC 5280 §4.2.1.12: without the extension every usage is allowed.
bool usage_allowed(const CertificateInfo& info, const PeerPolicy& policy) {
  if (!info.has_eku) {
    return true;
  }
  if (policy.role == PeerRole::server) {
    return info.server_auth;
  }
  return info.client_auth || (policy.accept_server_auth_only && info.server_auth);
}

}  // namespace

result<PeerIdentity> check_certificate(X509* leaf, STACK_OF(X509) * chain, X509_STORE* store,
                                       const PeerPolicy& policy) {
  if (leaf == nullptr) {
    return CertErrc::no_peer_certificate;
  }
  auto chain_ok =
      policy.require_trusted_chain ? verify_chain(leaf, chain, store) : check_validity_only(leaf);
  if (!chain_ok) {
    return chain_ok.error();
  }
  PeerIdentity identity{describe(leaf), {}};
  if (!policy.pinned_sha256.empty() &&
      !fingerprint_equals(policy.pinned_sha256, identity.certificate.sha256_fingerprint)) {
    return CertErrc::pin_mismatch;
  }
  if (!policy.domain.empty() && !name_covered(identity.certificate, policy)) {
    return CertErrc::name_mismatch;
  }
  if (!usage_allowed(identity.certificate, policy)) {
    return CertErrc::missing_usage;
  }
  if (policy.domain.empty()) {
    identity.names = identity.certificate.dns_names;
  } else {
    identity.names.push_back(policy.domain);
  }
  return identity;
}

result<PeerIdentity> check_peer(SSL* ssl, const PeerPolicy& policy) {
  X509* leaf = SSL_get0_peer_certificate(ssl);
  STACK_OF(X509)* chain = SSL_get_peer_cert_chain(ssl);
  X509_STORE* store = SSL_CTX_get_cert_store(SSL_get_SSL_CTX(ssl));
  return check_certificate(leaf, chain, store, policy);
}

}  // namespace fedgate::gateway
