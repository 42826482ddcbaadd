#include "xmpp/codec/jid.hpp"

#include <gtest/gtest.h>

namespace fedgate::xmpp {
namespace {

TEST(Jid, SplitsTheThreeParts) {
  auto j = Jid::parse("juliet@im.example.com/balcony");
  ASSERT_TRUE(j);
  EXPECT_EQ(j->local(), "juliet");
  EXPECT_EQ(j->domain_part(), "im.example.com");
  EXPECT_EQ(j->resource(), "balcony");
  EXPECT_EQ(j->bare().str(), "juliet@im.example.com");
  EXPECT_EQ(j->domain().str(), "im.example.com");
}

TEST(Jid, ResourceMayContainAtAndSlash) {  // RFC 7622 §3.1: split at the first '/'
  auto j = Jid::parse("example.com/foo@bar/baz");
  ASSERT_TRUE(j);
  EXPECT_FALSE(j->has_local());
  EXPECT_EQ(j->domain_part(), "example.com");
  EXPECT_EQ(j->resource(), "foo@bar/baz");
}

TEST(Jid, NormalisesCaseOnceSoEqualityIsStringEquality) {
  auto a = Jid::parse("Juliet@IM.Example.COM./Balcony");
  auto b = Jid::parse("juliet@im.example.com/Balcony");
  ASSERT_TRUE(a && b);
  EXPECT_EQ(*a, *b);
  EXPECT_EQ(a->str(), "juliet@im.example.com/Balcony");  // resource keeps its case
  EXPECT_NE(*a, *Jid::parse("juliet@im.example.com/balcony"));
}

TEST(Jid, CaseMapsNonAsciiLocalpartsWithinTheDocumentedSubset) {
  auto j = Jid::parse("\xC3\x89LISE.\xD0\x96@Example.com");  // ÉLISE.Ж
  ASSERT_TRUE(j);
  EXPECT_EQ(j->local(), "\xC3\xA9lise.\xD0\xB6");  // élise.ж
}

TEST(Jid, LowerCasesALabelsAndMapsIdeographicDots) {
  EXPECT_EQ(Jid::parse("XN--Bcher-KVA.Example")->str(), "xn--bcher-kva.example");
  EXPECT_EQ(Jid::parse("a\xE3\x80\x82"
                       "example")
                ->str(),
            "a.example");
  EXPECT_EQ(Jid::parse("[::1]")->str(), "[::1]");
}

TEST(Jid, RefusesForbiddenLocalpartCharacters) {  // RFC 7622 §3.3.1
  for (const char* bad : {"a\"b@x.example", "a&b@x.example", "a'b@x.example", "a:b@x.example",
                          "a<b@x.example", "a>b@x.example", "a b@x.example", "a\x01@x.example"}) {
    EXPECT_EQ(Jid::parse(bad).error(), JidErrc::localpart_forbidden) << bad;
  }
  EXPECT_EQ(Jid::parse("@x.example").error(), JidErrc::localpart_empty);
}

TEST(Jid, RefusesInvalidDomainparts) {
  EXPECT_EQ(Jid::parse("").error(), JidErrc::empty);
  EXPECT_EQ(Jid::parse("user@").error(), JidErrc::domainpart_empty);
  EXPECT_EQ(Jid::parse("a..example").error(), JidErrc::domainpart_invalid);
  EXPECT_EQ(Jid::parse("-a.example").error(), JidErrc::domainpart_invalid);
  EXPECT_EQ(Jid::parse("a_b.example").error(), JidErrc::domainpart_invalid);
  EXPECT_EQ(Jid::parse("a@b@c.example").error(), JidErrc::domainpart_invalid);
  EXPECT_EQ(Jid::parse(std::string(64, 'a') + ".example").error(), JidErrc::domainpart_invalid);
  EXPECT_EQ(Jid::parse("[::g]").error(), JidErrc::domainpart_invalid);
}

TEST(Jid, EnforcesThe1023ByteLimits) {
  std::string long_domain;
  for (int i = 0; i < 17; ++i) {
    long_domain += std::string(63, 'a') + ".";
  }
  EXPECT_EQ(Jid::parse(long_domain + "com").error(), JidErrc::domainpart_too_long);
  EXPECT_EQ(Jid::parse(std::string(1024, 'a') + "@x.example").error(), JidErrc::localpart_too_long);
  EXPECT_EQ(Jid::parse("x.example/" + std::string(1024, 'r')).error(),
            JidErrc::resourcepart_too_long);
  EXPECT_TRUE(Jid::parse(std::string(1023, 'a') + "@x.example/" + std::string(1023, 'r')));
}

TEST(Jid, RefusesBadUtf8AndEmptyResource) {
  EXPECT_EQ(Jid::parse("\xC0\xAF@x.example").error(), JidErrc::bad_utf8);        // overlong '/'
  EXPECT_EQ(Jid::parse("a@x.example/\xED\xA0\x80").error(), JidErrc::bad_utf8);  // surrogate
  EXPECT_EQ(Jid::parse("a@x.example/").error(), JidErrc::resourcepart_empty);
  EXPECT_EQ(Jid::parse("a@x.example/\x7F").error(), JidErrc::resourcepart_forbidden);
}

TEST(Jid, FromDomainBuildsADomainJid) {
  auto d = Jid::from_domain("Capulet.Example");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->str(), "capulet.example");
  EXPECT_TRUE(d->is_bare());
  EXPECT_FALSE(Jid::from_domain("a@b"));
}

}  // namespace
}  // namespace fedgate::xmpp
