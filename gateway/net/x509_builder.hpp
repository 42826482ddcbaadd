// Building keys and X.509 certificates with the OpenSSL C API (no shelling out). Owned by
// gw_net; used by the development PKI and by the test PKI. Blocking file I/O, any thread.
// RFC 5280: basicConstraints, keyUsage, extKeyUsage, subjectAltName (dNSName, otherName).
#pragma once

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "gateway/base/result.hpp"

namespace fedgate::gateway {

struct EvpPkeyFree {
  void operator()(EVP_PKEY* k) const noexcept { EVP_PKEY_free(k); }
};
struct X509Free {
  void operator()(X509* c) const noexcept { X509_free(c); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, EvpPkeyFree>;
using X509Ptr = std::unique_ptr<X509, X509Free>;

enum class KeyType { ec_p256, rsa_2048 };

struct CertRequest {
  std::string common_name;
  std::vector<std::string> dns_names;
  std::vector<std::string> xmpp_addrs;  // id-on-xmppAddr; for tests only (see INTEROP-NOTES)
  std::vector<std::string> srv_names;   // id-on-dnsSRV, "_xmpp-server.example.com"
  std::chrono::system_clock::time_point not_before, not_after;
  bool is_ca = false;
  bool server_auth = true;
  bool client_auth = true;
  bool with_eku = true;  // false: no extKeyUsage extension at all
};

result<PkeyPtr> generate_key(KeyType type);
// Signs with issuer_key under issuer; a null issuer makes the certificate self-signed.
result<X509Ptr> issue_certificate(const CertRequest& request, EVP_PKEY* subject_key, X509* issuer,
                                  EVP_PKEY* issuer_key);

result<void> write_certificate_pem(const std::filesystem::path& path, X509* cert);
// Written with mode 0600 from creation on.
result<void> write_key_pem(const std::filesystem::path& path, EVP_PKEY* key);
result<X509Ptr> load_certificate_pem(const std::filesystem::path& path);
result<PkeyPtr> load_key_pem(const std::filesystem::path& path);

}  // namespace fedgate::gateway
