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

TEST(Jid, MapsIdeographicDotsAndKeepsIpv6Literals) {
  EXPECT_EQ(Jid::parse("a\xE3\x80\x82"
                       "example")
                ->str(),
            "a.example");
  EXPECT_EQ(Jid::parse("[::1]")->str(), "[::1]");
}

// RFC 7622 §3.2: A-labels are compared as U-labels; "Bücher" is the RFC 5891 / UTS #46 example.
TEST(JidIdna, ALabelsAndULabelsParseToTheSameUnicodeJid) {
  auto from_a = Jid::parse("juliet@XN--Bcher-KVA.Example/balcony");
  auto from_u = Jid::parse(
      "juliet@B\xC3\xBC"
      "cher.example/balcony");  // Bücher
  ASSERT_TRUE(from_a);
  ASSERT_TRUE(from_u);
  EXPECT_EQ(from_a->domain_part(),
            "b\xC3\xBC"
            "cher.example");
  EXPECT_EQ(*from_a, *from_u);
  EXPECT_EQ(from_u->domain_ascii(), "xn--bcher-kva.example");
}

TEST(JidIdna, MapsWidthAndNormalisesToNfc) {  // RFC 5895 mapping, NFC per RFC 5891 §5.2
  auto wide = Jid::parse(
      "\xEF\xBD\x82\xC3\xBC"
      "cher.example");  // fullwidth b + ü
  auto decomposed = Jid::parse(
      "bu\xCC\x88"
      "cher.example");  // u + U+0308
  ASSERT_TRUE(wide);
  ASSERT_TRUE(decomposed);
  EXPECT_EQ(wide->str(),
            "b\xC3\xBC"
            "cher.example");
  EXPECT_EQ(decomposed->str(),
            "b\xC3\xBC"
            "cher.example");
}

TEST(JidIdna, RefusesInvalidALabelsAndDisallowedCodePoints) {
  for (const char* bad : {"xn--zz.example", "xn--0.example", "xn--a.example", "xn--ls8h.example",
                          "\xE2\x98\x83.example",  // U+2603 snowman: disallowed
                          "a\xE2\x80\x8D"
                          "b.example"}) {  // ZWJ outside its context
    EXPECT_EQ(Jid::parse(bad).error(), JidErrc::domainpart_idna) << bad;
  }
}

// xmpp_jid_fuzz: "xn--cf-kyW" decodes to "cf" + U+24B2, a code point UTS #46 maps to "(w)";
// accepting it stored a domain that did not parse again.
TEST(JidIdna, RefusesALabelsWhoseULabelDoesNotEncodeBack) {
  EXPECT_EQ(Jid::parse("e@xn--cf-kyW/y").error(), JidErrc::domainpart_idna);
  EXPECT_EQ(Jid::parse("xn--cf-kyw.example").error(), JidErrc::domainpart_idna);
}

TEST(JidIdna, AsciiFormIsForDnsAndLeavesLdhDomainsAlone) {
  EXPECT_EQ(to_ascii_domain("Fa\xC3\x9F.de").value(), "xn--fa-hia.de");  // ß kept (IDNA2008)
  EXPECT_EQ(to_ascii_domain("XN--4CA0BS.Example.").value(), "xn--4ca0bs.example");
  EXPECT_EQ(to_ascii_domain("Capulet.Example").value(), "capulet.example");
  EXPECT_EQ(to_ascii_domain("xn--zz.example").error(), JidErrc::domainpart_idna);
  EXPECT_EQ(Jid::parse("[::1]")->domain_ascii(), "[::1]");
  EXPECT_EQ(normalize_domain("xn--4ca0bs.example").value(), "\xC3\xA4\xC3\xB6\xC3\xBC.example");
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
