#include "gateway/net/test_pki.hpp"

#include <random>
#include <system_error>

#include "gateway/net/certificate.hpp"

namespace fedgate::gateway {
namespace {

namespace fs = std::filesystem;
using std::chrono::system_clock;

fs::path unique_temp_dir() {
  std::random_device rd;
  for (int attempt = 0; attempt < 100; ++attempt) {
    auto candidate = fs::temp_directory_path() / ("fedgate-pki-" + std::to_string(rd()));
    std::error_code ec;
    if (fs::create_directory(candidate, ec)) {
      return candidate;
    }
  }
  return {};
}

}  // namespace

TestDir::TestDir() : path_(unique_temp_dir()) {}

TestDir::~TestDir() {
  std::error_code ec;
  if (!path_.empty()) {
    fs::remove_all(path_, ec);
  }
}

result<TestCa> TestCa::create(const fs::path& dir, std::string name) {
  auto key = generate_key(KeyType::ec_p256);
  if (!key) {
    return key.error();
  }
  CertRequest r;
  r.common_name = name;
  r.is_ca = true;
  r.not_before = system_clock::now() - std::chrono::hours(1);
  r.not_after = r.not_before + std::chrono::hours(24 * 365);
  auto cert = issue_certificate(r, key->get(), nullptr, nullptr);
  if (!cert) {
    return cert.error();
  }
  TestCa ca;
  ca.dir_ = dir;
  ca.cert_pem_ = dir / (name + ".pem");
  ca.key_pem_ = dir / (name + ".key");
  if (auto w = write_certificate_pem(ca.cert_pem_, cert->get()); !w) {
    return w.error();
  }
  if (auto w = write_key_pem(ca.key_pem_, key->get()); !w) {
    return w.error();
  }
  return ca;
}

result<TestCert> TestCa::issue(std::string_view name, const TestCertSpec& spec) const {
  auto ca = load_certificate_pem(cert_pem_);
  auto ca_key = load_key_pem(key_pem_);
  auto key = generate_key(spec.key_type);
  if (!ca || !ca_key || !key) {
    return CertErrc::generation_failed;
  }
  CertRequest r;
  r.common_name = spec.common_name;
  r.dns_names = spec.dns_names;
  r.xmpp_addrs = spec.xmpp_addrs;
  r.srv_names = spec.srv_names;
  r.not_before = system_clock::now() + spec.valid_from;
  r.not_after = r.not_before + spec.valid_for;
  r.server_auth = spec.server_auth;
  r.client_auth = spec.client_auth;
  r.with_eku = spec.with_eku;
  auto cert = spec.self_signed ? issue_certificate(r, key->get(), nullptr, nullptr)
                               : issue_certificate(r, key->get(), ca->get(), ca_key->get());
  if (!cert) {
    return cert.error();
  }
  TestCert out{dir_ / (std::string(name) + ".pem"), dir_ / (std::string(name) + ".key"),
               sha256_fingerprint(cert->get())};
  if (auto w = write_certificate_pem(out.cert, cert->get()); !w) {
    return w.error();
  }
  if (auto w = write_key_pem(out.key, key->get()); !w) {
    return w.error();
  }
  return out;
}

TestCertSpec good_spec(std::string domain) {
  TestCertSpec spec;
  spec.common_name = domain;
  spec.dns_names = {std::move(domain)};
  return spec;
}

TestCertSpec expired_spec(std::string domain) {
  TestCertSpec spec = good_spec(std::move(domain));
  spec.valid_from = -std::chrono::hours(48);
  spec.valid_for = std::chrono::hours(24);
  return spec;
}

TestCertSpec not_yet_valid_spec(std::string domain) {
  TestCertSpec spec = good_spec(std::move(domain));
  spec.valid_from = std::chrono::hours(24);
  return spec;
}

TestCertSpec server_auth_only_spec(std::string domain) {
  TestCertSpec spec = good_spec(std::move(domain));
  spec.client_auth = false;
  return spec;
}

TestCertSpec client_auth_only_spec(std::string domain) {
  TestCertSpec spec = good_spec(std::move(domain));
  spec.server_auth = false;
  return spec;
}

TestCertSpec self_signed_spec(std::string domain) {
  TestCertSpec spec = good_spec(std::move(domain));
  spec.self_signed = true;
  return spec;
}

}  // namespace fedgate::gateway
