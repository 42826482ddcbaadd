// Email for federation: outward/inward mapping, fallback to native, old native dropped.
#include "presence/federation_identity.hpp"

#include <gtest/gtest.h>

#include "tests/unit/presence/router/policy_fixture.hpp"

namespace fedgate::presence {
namespace {

using testing_support::addr;

FederationIdentity identity(bool on) {
  Settings s;
  s.email_for_federation = on;
  return FederationIdentity{s,
                            {{"asmith@corp.example", "alice.smith@mail.example", "Alice", true},
                             {"bob@corp.example", "", "Bob", true},
                             {"broken", "x", "", true}}};
}

struct IdentityCase {
  bool on;
  const char* addressed;  // what a partner used
  const char* native;     // nullptr: dropped
};

class Inward : public testing::TestWithParam<IdentityCase> {};

TEST_P(Inward, MapsToNativeOrDrops) {
  auto got = identity(GetParam().on).inward(addr(GetParam().addressed));
  if (GetParam().native == nullptr) {
    ASSERT_FALSE(got.has_value());
    EXPECT_EQ(got.error(), IdentityRefusal::old_native_address);
    return;
  }
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->full(), GetParam().native);
}

INSTANTIATE_TEST_SUITE_P(
    Table, Inward,
    testing::Values(IdentityCase{true, "alice.smith@mail.example", "asmith@corp.example"},
                    IdentityCase{true, "Alice.Smith@mail.example/phone",
                                 "asmith@corp.example/phone"},
                    IdentityCase{true, "asmith@corp.example", nullptr},
                    IdentityCase{true, "bob@corp.example", "bob@corp.example"},
                    IdentityCase{true, "carol@corp.example", "carol@corp.example"},
                    IdentityCase{false, "asmith@corp.example", "asmith@corp.example"},
                    IdentityCase{false, "alice.smith@mail.example", "alice.smith@mail.example"}));

TEST(FederationIdentity, OutwardUsesEmailOnlyWhenOnAndPresent) {
  EXPECT_EQ(identity(true).outward(addr("asmith@corp.example/pc")).full(),
            "alice.smith@mail.example/pc");
  EXPECT_EQ(identity(true).outward(addr("bob@corp.example")).full(), "bob@corp.example");
  EXPECT_EQ(identity(false).outward(addr("asmith@corp.example")).full(), "asmith@corp.example");
  EXPECT_EQ(identity(true).rejected_rows(), 1u);
}

}  // namespace
}  // namespace fedgate::presence
