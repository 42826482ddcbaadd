// The development PKI: created once, reused while valid, re-issued when names change.
#include "gateway/net/dev_pki.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "gateway/net/certificate.hpp"
#include "gateway/net/test_pki.hpp"

namespace fedgate::gateway {
namespace {

unsigned mode_of(const std::filesystem::path& p) {
  struct stat st {};
  ::stat(p.c_str(), &st);
  return st.st_mode & 0777;
}

TEST(DevPki, CreatesACaAndALeafWithDnsNamesAndBothUsages) {
  TestDir dir;
  auto pki = ensure_dev_pki(dir.path() / "pki", {"corp.example", "conference.corp.example"});
  ASSERT_TRUE(pki) << pki.error().message();
  auto info = read_certificate_file(pki->cert);
  ASSERT_TRUE(info);
  EXPECT_EQ(info->dns_names, (std::vector<std::string>{"corp.example", "conference.corp.example"}));
  EXPECT_TRUE(info->xmpp_addrs.empty());  // ejabberd 23.01 crashes on XmppAddr
  EXPECT_TRUE(info->server_auth && info->client_auth);
  EXPECT_TRUE(verify_against_ca(pki->cert, pki->ca_cert));
  EXPECT_TRUE(check_key_matches(pki->cert, pki->key));
  EXPECT_EQ(mode_of(pki->key), 0600u);
  EXPECT_EQ(mode_of(pki->ca_key), 0600u);
  auto days = std::chrono::duration_cast<std::chrono::hours>(info->not_after - info->not_before);
  EXPECT_EQ(days.count(), 24 * 365);
}

TEST(DevPki, ReusesValidFilesThatCoverTheNames) {
  TestDir dir;
  auto first = ensure_dev_pki(dir.path(), {"corp.example"});
  ASSERT_TRUE(first);
  auto before = read_certificate_file(first->cert)->sha256_fingerprint;
  auto again = ensure_dev_pki(dir.path(), {"CORP.example"});
  ASSERT_TRUE(again);
  EXPECT_EQ(read_certificate_file(again->cert)->sha256_fingerprint, before);
}

TEST(DevPki, ReissuesTheLeafButKeepsTheCaWhenANameIsAdded) {
  TestDir dir;
  auto first = ensure_dev_pki(dir.path(), {"corp.example"});
  ASSERT_TRUE(first);
  auto ca_before = read_certificate_file(first->ca_cert)->sha256_fingerprint;
  auto leaf_before = read_certificate_file(first->cert)->sha256_fingerprint;
  auto again = ensure_dev_pki(dir.path(), {"corp.example", "other.example"});
  ASSERT_TRUE(again);
  EXPECT_EQ(read_certificate_file(again->ca_cert)->sha256_fingerprint, ca_before);
  auto leaf = read_certificate_file(again->cert);
  EXPECT_NE(leaf->sha256_fingerprint, leaf_before);
  EXPECT_TRUE(covers_dns_name(*leaf, "other.example"));
}

TEST(DevPki, ReplacesALeafWhoseKeyDoesNotMatch) {
  TestDir dir;
  auto first = ensure_dev_pki(dir.path(), {"corp.example"});
  ASSERT_TRUE(first);
  std::filesystem::copy_file(first->ca_key, first->key,
                             std::filesystem::copy_options::overwrite_existing);
  ASSERT_FALSE(check_key_matches(first->cert, first->key));
  auto again = ensure_dev_pki(dir.path(), {"corp.example"});
  ASSERT_TRUE(again);
  EXPECT_TRUE(check_key_matches(again->cert, again->key));
}

}  // namespace
}  // namespace fedgate::gateway
