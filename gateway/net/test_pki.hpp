// Test PKI: a throw-away CA that issues good and deliberately bad certificates (expired, wrong
// names, serverAuth-only, untrusted issuer, mismatched key) into a scratch directory.
// Owned by gw_net, target gw_net_test_pki: link it from tests only, never from the node.
// Blocking file I/O; RFC 5280 / RFC 6125 cases for check-config and TLS peer checks.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/base/result.hpp"
#include "gateway/net/x509_builder.hpp"

namespace fedgate::gateway {

struct TestCertSpec {
  std::vector<std::string> dns_names;
  std::vector<std::string> xmpp_addrs;
  std::vector<std::string> srv_names;
  std::string common_name = "fedgate test";
  std::chrono::seconds valid_from = -std::chrono::hours(1);  // relative to now
  std::chrono::seconds valid_for = std::chrono::hours(24 * 365);
  bool server_auth = true;
  bool client_auth = true;
  bool with_eku = true;
  bool self_signed = false;  // signed by its own key instead of the CA
  KeyType key_type = KeyType::ec_p256;
};

struct TestCert {
  std::filesystem::path cert, key;
  std::string sha256_fingerprint;
};

// Temporary directory under the system temp dir, removed with the object.
class TestDir {
 public:
  TestDir();
  ~TestDir();
  TestDir(const TestDir&) = delete;
  TestDir& operator=(const TestDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

class TestCa {
 public:
  // Writes <name>.pem and <name>.key into dir.
  static result<TestCa> create(const std::filesystem::path& dir, std::string name = "test-ca");
  // Writes <name>.pem and <name>.key; the key is 0600.
  result<TestCert> issue(std::string_view name, const TestCertSpec& spec) const;
  const std::filesystem::path& cert_pem() const { return cert_pem_; }
  const std::filesystem::path& key_pem() const { return key_pem_; }

 private:
  std::filesystem::path dir_, cert_pem_, key_pem_;
};

// Common shapes, issued by `ca`, all for `domain`.
TestCertSpec good_spec(std::string domain);
TestCertSpec expired_spec(std::string domain);
TestCertSpec not_yet_valid_spec(std::string domain);
TestCertSpec server_auth_only_spec(std::string domain);
TestCertSpec client_auth_only_spec(std::string domain);
TestCertSpec self_signed_spec(std::string domain);

}  // namespace fedgate::gateway
