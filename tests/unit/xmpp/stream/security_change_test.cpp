// Security settings changed live: which changes tighten, the XEP-0185 secret rotation grace,
// and an authoritative server verifying a key made with the previous secret (XEP-0220 §2.2.2).
#include <gtest/gtest.h>

#include "tests/unit/xmpp/stream/stream_test_support.hpp"
#include "xmpp/stream/dialback_key.hpp"
#include "xmpp/stream/inbound_stream.hpp"
#include "xmpp/stream/security_change.hpp"

namespace fedgate::xmpp {
namespace {

using namespace test;

SecuritySettings optional_with(std::string secret) {
  SecuritySettings s;
  s.tls_mode = TlsMode::tls_optional;
  s.require_valid_certificates = false;
  s.sasl_external_inbound = false;
  s.sasl_external_outbound = false;
  s.dialback_secret = std::move(secret);
  return s;
}

TEST(SecurityChange, StricterSettingsTighten) {
  const SecuritySettings before = optional_with("old-secret-0123456");
  auto stricter = [&](auto change) {
    SecuritySettings after = before;
    change(after);
    return tightens(before, after);
  };
  EXPECT_TRUE(stricter([](SecuritySettings& s) { s.tls_mode = TlsMode::tls_required; }));
  EXPECT_TRUE(stricter([](SecuritySettings& s) { s.require_valid_certificates = true; }));
  EXPECT_TRUE(stricter([](SecuritySettings& s) { s.sasl_external_inbound = true; }));
  EXPECT_TRUE(stricter([](SecuritySettings& s) { s.sasl_external_outbound = true; }));
  EXPECT_TRUE(stricter([](SecuritySettings& s) { s.dialback_secret.clear(); }));
  EXPECT_TRUE(stricter([](SecuritySettings& s) { s.dialback_allowed = false; }));
}

TEST(SecurityChange, LooserOrEquivalentSettingsDoNotTighten) {
  SecuritySettings before = optional_with("old-secret-0123456");
  before.tls_mode = TlsMode::tls_required;
  before.require_valid_certificates = true;
  SecuritySettings after = before;
  EXPECT_FALSE(tightens(before, after));
  after.dialback_secret = "new-secret-6543210";  // rotated, still on
  EXPECT_FALSE(tightens(before, after));
  after.tls_mode = TlsMode::tls_optional;
  after.require_valid_certificates = false;
  EXPECT_FALSE(tightens(before, after));
  after.tls_mode = TlsMode::no_tls;
  EXPECT_FALSE(tightens(before, after));
}

TEST(SecurityChange, ARotatedSecretKeepsThePreviousOneUntilTheGraceEnds) {
  const TimePoint until = kT0 + std::chrono::seconds(60);
  const auto rotated =
      with_secret_grace(optional_with("old-secret-0123456"), optional_with("new-secret-6543210"),
                        until);
  EXPECT_EQ(rotated.dialback_secret, "new-secret-6543210");
  EXPECT_EQ(rotated.previous_dialback_secret, "old-secret-0123456");
  EXPECT_EQ(rotated.previous_secret_until, until);
  // Another change that leaves the secret alone carries the running grace over.
  SecuritySettings tighter = optional_with("new-secret-6543210");
  tighter.tls_mode = TlsMode::tls_required;
  const auto carried = with_secret_grace(rotated, tighter, until + std::chrono::seconds(30));
  EXPECT_EQ(carried.previous_dialback_secret, "old-secret-0123456");
  EXPECT_EQ(carried.previous_secret_until, until);
}

TEST(SecurityChange, NoGraceWhenThereWasNoSecret) {
  const auto first = with_secret_grace(optional_with(""), optional_with("new-secret-6543210"),
                                       kT0 + std::chrono::seconds(60));
  EXPECT_TRUE(first.previous_dialback_secret.empty());
}

// The authoritative server after a rotation: the old key verifies during the grace only.
class RotatedSecret : public ::testing::Test {
 protected:
  RotatedSecret() : config(make_config({"montague.example"})) {
    config->tls_available = false;
    config->security = with_secret_grace(config->security, rotated(), kGraceEnd);
  }
  static SecuritySettings rotated() {
    SecuritySettings s;
    s.dialback_secret = "a-brand-new-secret-42";
    return s;
  }
  std::string verify(std::string_view secret, TimePoint now) {
    InboundStream stream{config, kT0};
    stream.on_bytes(peer_header("capulet.example", "montague.example"), kT0);
    const std::string key = dialback_key(secret, "capulet.example", "montague.example", "417GAF25");
    return stream
        .on_bytes("<db:verify from='capulet.example' id='417GAF25' to='montague.example'>" +
                      key + "</db:verify>",
                  now)
        .write;
  }
  static constexpr std::string_view kValid =
      "<db:verify from='montague.example' to='capulet.example' id='417GAF25' type='valid'/>";
  static constexpr std::string_view kInvalid =
      "<db:verify from='montague.example' to='capulet.example' id='417GAF25' type='invalid'/>";
  static constexpr TimePoint kGraceEnd = TimePoint{} + std::chrono::seconds(60);
  std::shared_ptr<StreamConfig> config;
};

TEST_F(RotatedSecret, KeysOfTheNewSecretVerify) {
  EXPECT_EQ(verify("a-brand-new-secret-42", kT0), kValid);
  EXPECT_EQ(verify("a-brand-new-secret-42", kGraceEnd + std::chrono::hours(1)), kValid);
}

TEST_F(RotatedSecret, KeysOfThePreviousSecretVerifyDuringTheGraceOnly) {
  EXPECT_EQ(verify(kSecret, kT0 + std::chrono::seconds(59)), kValid);
  EXPECT_EQ(verify(kSecret, kGraceEnd), kInvalid);
}

TEST_F(RotatedSecret, OtherKeysNeverVerify) {
  EXPECT_EQ(verify("some-other-secret-1", kT0), kInvalid);
}

}  // namespace
}  // namespace fedgate::xmpp
