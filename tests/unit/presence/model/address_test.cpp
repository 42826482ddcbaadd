// Address normalisation: table-driven, valid and refused inputs.
#include "presence/model/address.hpp"

#include <gtest/gtest.h>

namespace fedgate::presence {
namespace {

struct ParseCase {
  const char* text;
  const char* bare;  // nullptr: refused
  const char* resource;
};

class AddressParse : public testing::TestWithParam<ParseCase> {};

TEST_P(AddressParse, NormalisesOrRefuses) {
  const auto& c = GetParam();
  auto a = Address::parse(c.text);
  if (c.bare == nullptr) {
    EXPECT_FALSE(a.has_value()) << c.text;
    return;
  }
  ASSERT_TRUE(a.has_value()) << c.text << " " << to_string(a.error());
  EXPECT_EQ(a->bare(), c.bare);
  EXPECT_EQ(a->resource(), c.resource);
}

INSTANTIATE_TEST_SUITE_P(
    Table, AddressParse,
    testing::Values(ParseCase{"alice@corp.example", "alice@corp.example", ""},
                    ParseCase{"Alice@Corp.Example.", "alice@corp.example", ""},
                    ParseCase{"bob@partner.example/Desk Top", "bob@partner.example", "Desk Top"},
                    ParseCase{"o'malley@sip.example", "o'malley@sip.example", ""},
                    ParseCase{"f\xC3\xBC@sip.example", "f\xC3\xBC@sip.example", ""},
                    ParseCase{"corp.example", nullptr, ""}, ParseCase{"@corp.example", nullptr, ""},
                    ParseCase{"a b@corp.example", nullptr, ""},
                    ParseCase{"a@b@corp.example", nullptr, ""},
                    ParseCase{"a@corp..example", nullptr, ""},
                    ParseCase{"a@-corp.example", nullptr, ""}, ParseCase{"a@[::1]", nullptr, ""},
                    ParseCase{"a@corp.example/", nullptr, ""}, ParseCase{"", nullptr, ""}));

TEST(Address, WithoutResourceKeepsBareAndEquality) {
  auto full = Address::parse("bob@partner.example/laptop");
  auto bare = Address::parse("BOB@partner.example");
  ASSERT_TRUE(full && bare);
  EXPECT_NE(*full, *bare);
  EXPECT_EQ(full->without_resource(), *bare);
  EXPECT_EQ(full->domain(), "partner.example");
  EXPECT_EQ(full->local(), "bob");
}

TEST(Address, RefusesOverlongParts) {
  std::string local(Address::kMaxPartBytes + 1, 'a');
  auto a = Address::make(local, "corp.example");
  ASSERT_FALSE(a.has_value());
  EXPECT_EQ(a.error(), AddressErrc::too_long);
}

TEST(Address, DomainNormalisation) {
  auto d = Address::normalise_domain("Partner.EXAMPLE.");
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(*d, "partner.example");
  EXPECT_FALSE(Address::normalise_domain("").has_value());
  EXPECT_FALSE(Address::normalise_domain("a..b").has_value());
}

}  // namespace
}  // namespace fedgate::presence
