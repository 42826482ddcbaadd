#include "gateway/net/dev_pki.hpp"

#include <openssl/err.h>

#include <algorithm>
#include <system_error>

#include "gateway/net/certificate.hpp"
#include "gateway/net/x509_builder.hpp"

namespace fedgate::gateway {
namespace {

namespace fs = std::filesystem;
using std::chrono::hours;
using std::chrono::system_clock;

constexpr auto kLeafValidity = hours(24 * 365);
constexpr auto kCaValidity = hours(24 * 365 * 5);
constexpr auto kRenewBefore = hours(24 * 7);

bool still_fresh(const CertificateInfo& info) {
  auto now = system_clock::now();
  return info.not_before <= now && info.not_after > now + kRenewBefore;
}

bool leaf_reusable(const DevPki& pki, const std::vector<std::string>& names) {
  auto info = read_certificate_file(pki.cert);
  if (!info || !still_fresh(*info) || !check_key_matches(pki.cert, pki.key) ||
      !verify_against_ca(pki.cert, pki.ca_cert)) {
    return false;
  }
  return std::all_of(names.begin(), names.end(),
                     [&](const std::string& n) { return covers_dns_name(*info, n); });
}

bool ca_reusable(const DevPki& pki) {
  auto info = read_certificate_file(pki.ca_cert);
  return info && still_fresh(*info) && check_key_matches(pki.ca_cert, pki.ca_key);
}

result<void> create_ca(const DevPki& pki) {
  auto key = generate_key(KeyType::ec_p256);
  if (!key) {
    return key.error();
  }
  CertRequest r;
  r.common_name = "fedgate development CA";
  r.is_ca = true;
  r.not_before = system_clock::now() - hours(1);
  r.not_after = r.not_before + kCaValidity;
  auto cert = issue_certificate(r, key->get(), nullptr, nullptr);
  if (!cert) {
    return cert.error();
  }
  if (auto w = write_key_pem(pki.ca_key, key->get()); !w) {
    return w;
  }
  return write_certificate_pem(pki.ca_cert, cert->get());
}

result<void> create_leaf(const DevPki& pki, const std::vector<std::string>& names) {
  auto ca = load_certificate_pem(pki.ca_cert);
  auto ca_key = load_key_pem(pki.ca_key);
  auto key = generate_key(KeyType::ec_p256);
  if (!ca || !ca_key || !key) {
    return !ca ? ca.error() : !ca_key ? ca_key.error() : key.error();
  }
  CertRequest r;
  r.common_name = names.empty() ? "fedgate" : names.front();
  r.dns_names = names;  // DNS-IDs only: no XmppAddr (ejabberd 23.01 crashes on it)
  r.not_before = system_clock::now() - hours(1);
  r.not_after = r.not_before + kLeafValidity;
  auto cert = issue_certificate(r, key->get(), ca->get(), ca_key->get());
  if (!cert) {
    return cert.error();
  }
  if (auto w = write_key_pem(pki.key, key->get()); !w) {
    return w;
  }
  return write_certificate_pem(pki.cert, cert->get());
}

}  // namespace

result<DevPki> ensure_dev_pki(const fs::path& dir, const std::vector<std::string>& dns_names) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    return CertErrc::write_failed;
  }
  fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);
  DevPki pki{dir / "ca.pem", dir / "ca.key", dir / "node.pem", dir / "node.key"};
  if (leaf_reusable(pki, dns_names)) {
    ERR_clear_error();
    return pki;
  }
  if (!ca_reusable(pki)) {
    if (auto made = create_ca(pki); !made) {
      return made.error();
    }
  }
  if (auto made = create_leaf(pki, dns_names); !made) {
    return made.error();
  }
  ERR_clear_error();
  return pki;
}

}  // namespace fedgate::gateway
