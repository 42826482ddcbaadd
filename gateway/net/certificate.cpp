#include "gateway/net/certificate.hpp"

#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <memory>

#include "gateway/net/x509_builder.hpp"

namespace fedgate::gateway {
namespace {

class CertCategory final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "fedgate.cert"; }
  std::string message(int ev) const override {
    switch (static_cast<CertErrc>(ev)) {
      case CertErrc::unreadable:
        return "certificate file cannot be read";
      case CertErrc::not_pem:
        return "file holds no PEM certificate";
      case CertErrc::key_unreadable:
        return "private key cannot be read or parsed";
      case CertErrc::key_mismatch:
        return "private key does not match the certificate";
      case CertErrc::ca_unreadable:
        return "trusted CA file cannot be read or holds no certificate";
      case CertErrc::expired:
        return "certificate has expired";
      case CertErrc::not_yet_valid:
        return "certificate is not yet valid";
      case CertErrc::untrusted_issuer:
        return "certificate issuer is not trusted";
      case CertErrc::chain_invalid:
        return "certificate chain is invalid";
      case CertErrc::name_mismatch:
        return "certificate does not cover the expected name";
      case CertErrc::missing_usage:
        return "certificate lacks the required extended key usage";
      case CertErrc::pin_mismatch:
        return "certificate fingerprint does not match the pin";
      case CertErrc::no_peer_certificate:
        return "peer presented no certificate";
      case CertErrc::generation_failed:
        return "creating a key or certificate failed";
      case CertErrc::write_failed:
        return "writing a PEM file failed";
      case CertErrc::bad_cipher_list:
        return "TLS cipher list names no usable cipher";
      case CertErrc::bad_protocol_range:
        return "minimum TLS version is above the maximum";
    }
    return "unknown certificate error";
  }
};

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view strip_dot(std::string_view s) {
  if (!s.empty() && s.back() == '.') {
    s.remove_suffix(1);
  }
  return s;
}

bool iequals(std::string_view a, std::string_view b) { return lower(a) == lower(b); }

std::string name_line(X509_NAME* name) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
  X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(n));
}

std::chrono::system_clock::time_point to_time_point(const ASN1_TIME* t) {
  struct tm tm {};
  ASN1_TIME_to_tm(t, &tm);
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

std::string asn1_string(const ASN1_STRING* s) {
  return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                     static_cast<std::size_t>(ASN1_STRING_length(s)));
}

void add_other_name(const OTHERNAME* other, CertificateInfo& info) {
  int nid = OBJ_obj2nid(other->type_id);
  char oid[80] = {};
  OBJ_obj2txt(oid, sizeof oid, other->type_id, 1);
  std::string_view oid_text(oid);
  const ASN1_TYPE* value = other->value;
  if (value == nullptr) {
    return;
  }
  if ((nid == NID_XmppAddr || oid_text == "1.3.6.1.5.5.7.8.5") &&
      value->type == V_ASN1_UTF8STRING) {
    info.xmpp_addrs.push_back(asn1_string(value->value.utf8string));
  } else if ((nid == NID_SRVName || oid_text == "1.3.6.1.5.5.7.8.7") &&
             value->type == V_ASN1_IA5STRING) {
    info.srv_names.push_back(lower(asn1_string(value->value.ia5string)));
  }
}

void read_alt_names(X509* cert, CertificateInfo& info) {
  auto* names =
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  if (names == nullptr) {
    return;
  }
  for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME* gn = sk_GENERAL_NAME_value(names, i);
    if (gn->type == GEN_DNS) {
      info.dns_names.push_back(lower(asn1_string(gn->d.dNSName)));
    } else if (gn->type == GEN_OTHERNAME) {
      add_other_name(gn->d.otherName, info);
    }
  }
  GENERAL_NAMES_free(names);
}

void read_usage(X509* cert, CertificateInfo& info) {
  uint32_t flags = X509_get_extension_flags(cert);
  info.has_eku = (flags & EXFLAG_XKUSAGE) != 0;
  uint32_t xku = X509_get_extended_key_usage(cert);  // UINT32_MAX without the extension
  info.server_auth = (xku & XKU_SSL_SERVER) != 0;
  info.client_auth = (xku & XKU_SSL_CLIENT) != 0;
}

int first_error_callback(int ok, X509_STORE_CTX* ctx) {
  if (!ok) {
    auto* first = static_cast<int*>(X509_STORE_CTX_get_app_data(ctx));
    if (first != nullptr && *first == X509_V_OK) {
      *first = X509_STORE_CTX_get_error(ctx);
    }
  }
  return 1;  // keep going: only the first error is reported
}

}  // namespace

const boost::system::error_category& cert_category() noexcept {
  static const CertCategory category;
  return category;
}

boost::system::error_code make_error_code(CertErrc e) noexcept {
  return {static_cast<int>(e), cert_category()};
}

CertificateInfo describe(X509* cert) {
  CertificateInfo info;
  info.subject = name_line(X509_get_subject_name(cert));
  info.issuer = name_line(X509_get_issuer_name(cert));
  read_alt_names(cert, info);
  info.not_before = to_time_point(X509_get0_notBefore(cert));
  info.not_after = to_time_point(X509_get0_notAfter(cert));
  read_usage(cert, info);
  info.sha256_fingerprint = sha256_fingerprint(cert);
  return info;
}

result<CertificateInfo> read_certificate_file(const std::filesystem::path& pem) {
  auto cert = load_certificate_pem(pem);
  if (!cert) {
    return cert.error();
  }
  return describe(cert->get());
}

result<void> check_key_matches(const std::filesystem::path& cert_pem,
                               const std::filesystem::path& key_pem) {
  auto cert = load_certificate_pem(cert_pem);
  if (!cert) {
    return cert.error();
  }
  auto key = load_key_pem(key_pem);
  if (!key) {
    return key.error();
  }
  if (X509_check_private_key(cert->get(), key->get()) != 1) {
    return CertErrc::key_mismatch;
  }
  return {};
}

CertErrc cert_errc_from_x509(int error) noexcept {
  switch (error) {
    case X509_V_ERR_CERT_HAS_EXPIRED:
    case X509_V_ERR_CRL_HAS_EXPIRED:
      return CertErrc::expired;
    case X509_V_ERR_CERT_NOT_YET_VALID:
    case X509_V_ERR_CRL_NOT_YET_VALID:
      return CertErrc::not_yet_valid;
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_CERT_UNTRUSTED:
      return CertErrc::untrusted_issuer;
    case X509_V_ERR_INVALID_PURPOSE:
      return CertErrc::missing_usage;
    default:
      return CertErrc::chain_invalid;
  }
}

result<void> verify_chain(X509* leaf, STACK_OF(X509) * intermediates, X509_STORE* store) {
  std::unique_ptr<X509_STORE_CTX, decltype(&X509_STORE_CTX_free)> ctx(X509_STORE_CTX_new(),
                                                                      &X509_STORE_CTX_free);
  if (!ctx || X509_STORE_CTX_init(ctx.get(), store, leaf, intermediates) != 1) {
    return CertErrc::chain_invalid;
  }
  int first_error = X509_V_OK;
  X509_STORE_CTX_set_app_data(ctx.get(), &first_error);
  X509_STORE_CTX_set_verify_cb(ctx.get(), &first_error_callback);
  int ok = X509_verify_cert(ctx.get());
  if (first_error != X509_V_OK) {
    return cert_errc_from_x509(first_error);
  }
  if (ok != 1) {
    return cert_errc_from_x509(X509_STORE_CTX_get_error(ctx.get()));
  }
  return {};
}

result<void> verify_against_ca(const std::filesystem::path& cert_pem,
                               const std::filesystem::path& ca_pem) {
  auto leaf = load_certificate_pem(cert_pem);
  if (!leaf) {
    return leaf.error();
  }
  std::unique_ptr<X509_STORE, decltype(&X509_STORE_free)> store(X509_STORE_new(), &X509_STORE_free);
  if (X509_STORE_load_file(store.get(), ca_pem.c_str()) != 1) {
    return CertErrc::ca_unreadable;
  }
  STACK_OF(X509)* chain = sk_X509_new_null();
  std::FILE* f = std::fopen(cert_pem.c_str(), "r");
  if (f != nullptr) {  // intermediates after the leaf
    X509* first = PEM_read_X509(f, nullptr, nullptr, nullptr);
    X509_free(first);
    while (X509* next = PEM_read_X509(f, nullptr, nullptr, nullptr)) {
      sk_X509_push(chain, next);
    }
    std::fclose(f);
  }
  auto verdict = verify_chain(leaf->get(), chain, store.get());
  sk_X509_pop_free(chain, X509_free);
  return verdict;
}

bool dns_name_matches(std::string_view pattern, std::string_view domain) {
  std::string p = lower(strip_dot(pattern));
  std::string d = lower(strip_dot(domain));
  if (p.empty() || d.empty()) {
    return false;
  }
  if (p.find('*') == std::string::npos) {
    return p == d;
  }
  // RFC 6125 §6.4.3: only "*" as the complete left-most label, at least two labels after it.
  if (p.rfind("*.", 0) != 0 || p.find('*', 1) != std::string::npos) {
    return false;
  }
  std::string_view rest = std::string_view(p).substr(2);
  if (rest.find('.') == std::string_view::npos) {
    return false;
  }
  auto dot = d.find('.');
  if (dot == std::string::npos || dot == 0) {
    return false;
  }
  return std::string_view(d).substr(dot + 1) == rest;
}

bool covers_dns_name(const CertificateInfo& cert, std::string_view domain) {
  return std::any_of(cert.dns_names.begin(), cert.dns_names.end(),
                     [&](const std::string& p) { return dns_name_matches(p, domain); });
}

bool covers_srv_name(const CertificateInfo& cert, std::string_view service,
                     std::string_view domain) {
  std::string wanted(1, '_');  // built by append: GCC 12 -O3 warns on "_" + string (PR105329)
  wanted.append(lower(service)).append(1, '.').append(lower(strip_dot(domain)));
  return std::any_of(cert.srv_names.begin(), cert.srv_names.end(),
                     [&](const std::string& s) { return lower(strip_dot(s)) == wanted; });
}

bool covers_xmpp_addr(const CertificateInfo& cert, std::string_view domain) {
  return std::any_of(cert.xmpp_addrs.begin(), cert.xmpp_addrs.end(),
                     [&](const std::string& a) { return iequals(a, strip_dot(domain)); });
}

bool covers_xmpp_domain(const CertificateInfo& cert, std::string_view domain) {
  return covers_dns_name(cert, domain) || covers_srv_name(cert, "xmpp-server", domain) ||
         covers_srv_name(cert, "xmpps-server", domain) || covers_xmpp_addr(cert, domain);
}

std::string sha256_fingerprint(X509* cert) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  X509_digest(cert, EVP_sha256(), md, &n);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (unsigned int i = 0; i < n; ++i) {
    out.push_back(kHex[md[i] >> 4]);
    out.push_back(kHex[md[i] & 0x0f]);
  }
  return out;
}

bool fingerprint_equals(std::string_view a, std::string_view b) {
  auto normal = [](std::string_view s) {
    std::string out;
    for (char c : s) {
      if (c != ':' && c != ' ') {
        out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
      }
    }
    return out;
  };
  std::string na = normal(a);
  return !na.empty() && na == normal(b);
}

}  // namespace fedgate::gateway
