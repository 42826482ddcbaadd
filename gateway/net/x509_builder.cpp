#include "gateway/net/x509_builder.hpp"

#include <fcntl.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>

#include "gateway/net/certificate.hpp"

namespace fedgate::gateway {
namespace {

struct FileClose {
  void operator()(std::FILE* f) const noexcept { std::fclose(f); }
};
using FilePtr = std::unique_ptr<std::FILE, FileClose>;

bool add_ext(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer != nullptr ? issuer : cert, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  if (ext == nullptr) {
    return false;
  }
  bool ok = X509_add_ext(cert, ext, -1) == 1;
  X509_EXTENSION_free(ext);
  return ok;
}

// subjectAltName as a config string: DNS:a,otherName:1.3.6.1.5.5.7.8.5;UTF8:b,...
std::string alt_names(const CertRequest& r) {
  std::string out;
  auto add = [&](const std::string& item) { out += (out.empty() ? "" : ",") + item; };
  for (const auto& n : r.dns_names) {
    add("DNS:" + n);
  }
  for (const auto& a : r.xmpp_addrs) {
    add("otherName:1.3.6.1.5.5.7.8.5;UTF8:" + a);
  }
  for (const auto& s : r.srv_names) {
    add("otherName:1.3.6.1.5.5.7.8.7;IA5STRING:" + s);
  }
  return out;
}

bool set_serial(X509* cert) {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    return false;
  }
  bytes[0] &= 0x7f;  // positive
  BIGNUM* bn = BN_bin2bn(bytes, sizeof bytes, nullptr);
  bool ok = bn != nullptr && BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert)) != nullptr;
  BN_free(bn);
  return ok;
}

bool set_validity(X509* cert, const CertRequest& r) {
  auto from = std::chrono::system_clock::to_time_t(r.not_before);
  auto to = std::chrono::system_clock::to_time_t(r.not_after);
  return ASN1_TIME_set(X509_getm_notBefore(cert), from) != nullptr &&
         ASN1_TIME_set(X509_getm_notAfter(cert), to) != nullptr;
}

bool add_extensions(X509* cert, X509* issuer, const CertRequest& r) {
  bool ok = add_ext(cert, issuer, NID_basic_constraints,
                    r.is_ca ? "critical,CA:TRUE" : "critical,CA:FALSE") &&
            add_ext(cert, issuer, NID_subject_key_identifier, "hash") &&
            add_ext(cert, issuer, NID_authority_key_identifier, "keyid:always");
  if (r.is_ca) {
    return ok && add_ext(cert, issuer, NID_key_usage, "critical,keyCertSign,cRLSign");
  }
  ok = ok && add_ext(cert, issuer, NID_key_usage, "critical,digitalSignature,keyEncipherment");
  if (r.with_eku && (r.server_auth || r.client_auth)) {
    std::string eku = r.server_auth ? "serverAuth" : "";
    if (r.client_auth) {
      eku += eku.empty() ? "clientAuth" : ",clientAuth";
    }
    ok = ok && add_ext(cert, issuer, NID_ext_key_usage, eku);
  }
  std::string san = alt_names(r);
  return ok && (san.empty() || add_ext(cert, issuer, NID_subject_alt_name, san));
}

}  // namespace

result<PkeyPtr> generate_key(KeyType type) {
  EVP_PKEY* key = type == KeyType::ec_p256 ? EVP_EC_gen("P-256") : EVP_RSA_gen(2048);
  if (key == nullptr) {
    return CertErrc::generation_failed;
  }
  return PkeyPtr(key);
}

result<X509Ptr> issue_certificate(const CertRequest& r, EVP_PKEY* subject_key, X509* issuer,
                                  EVP_PKEY* issuer_key) {
  X509Ptr cert(X509_new());
  if (!cert || X509_set_version(cert.get(), 2) != 1 || !set_serial(cert.get()) ||
      !set_validity(cert.get(), r) || X509_set_pubkey(cert.get(), subject_key) != 1) {
    return CertErrc::generation_failed;
  }
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>("fedgate"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(r.common_name.c_str()), -1, -1,
                             0);
  X509_NAME* issuer_name = issuer != nullptr ? X509_get_subject_name(issuer) : name;
  if (X509_set_issuer_name(cert.get(), issuer_name) != 1 ||
      !add_extensions(cert.get(), issuer, r)) {
    return CertErrc::generation_failed;
  }
  EVP_PKEY* signer = issuer_key != nullptr ? issuer_key : subject_key;
  if (X509_sign(cert.get(), signer, EVP_sha256()) == 0) {
    return CertErrc::generation_failed;
  }
  return cert;
}

result<void> write_certificate_pem(const std::filesystem::path& path, X509* cert) {
  FilePtr f(std::fopen(path.c_str(), "w"));
  if (!f || PEM_write_X509(f.get(), cert) != 1) {
    return CertErrc::write_failed;
  }
  return {};
}

result<void> write_key_pem(const std::filesystem::path& path, EVP_PKEY* key) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    return CertErrc::write_failed;
  }
  (void)::fchmod(fd, 0600);  // an existing file keeps its old mode through O_CREAT
  FilePtr f(::fdopen(fd, "w"));
  if (!f) {
    ::close(fd);
    return CertErrc::write_failed;
  }
  if (PEM_write_PrivateKey(f.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return CertErrc::write_failed;
  }
  return {};
}

result<X509Ptr> load_certificate_pem(const std::filesystem::path& path) {
  FilePtr f(std::fopen(path.c_str(), "r"));
  if (!f) {
    return CertErrc::unreadable;
  }
  X509* cert = PEM_read_X509(f.get(), nullptr, nullptr, nullptr);
  if (cert == nullptr) {
    return std::ferror(f.get()) ? CertErrc::unreadable : CertErrc::not_pem;
  }
  return X509Ptr(cert);
}

result<PkeyPtr> load_key_pem(const std::filesystem::path& path) {
  FilePtr f(std::fopen(path.c_str(), "r"));
  if (!f) {
    return CertErrc::key_unreadable;
  }
  EVP_PKEY* key = PEM_read_PrivateKey(f.get(), nullptr, nullptr, nullptr);
  if (key == nullptr) {
    return CertErrc::key_unreadable;
  }
  return PkeyPtr(key);
}

}  // namespace fedgate::gateway
