// NameAddr parsing: display names, addr-spec parameters, Microsoft epid (RFC 3261 §20.10).
#include "sip/codec/name_addr.hpp"

#include <gtest/gtest.h>

namespace fedgate::sip {
namespace {

TEST(NameAddr, QuotedDisplayNameWithQuotedPairs) {
  auto na = NameAddr::parse(R"("Bob \"the\" Builder" <sip:bob@fabrikam.com>;tag=1a2b;epid=01010101)");
  ASSERT_TRUE(na);
  EXPECT_EQ(na->display_name, "Bob \"the\" Builder");
  EXPECT_EQ(na->uri.address(), "bob@fabrikam.com");
  EXPECT_EQ(na->tag(), "1a2b");
  EXPECT_EQ(na->epid(), "01010101");
}

TEST(NameAddr, TokenDisplayNameWithoutSpaceBeforeAngle) {
  auto na = NameAddr::parse("caller<sip:caller@example.com>;tag=323");
  ASSERT_TRUE(na);
  EXPECT_EQ(na->display_name, "caller");
  EXPECT_EQ(na->tag(), "323");
}

TEST(NameAddr, AddrSpecParametersBelongToTheHeader) {
  auto na = NameAddr::parse("sip:+19725552222@gw1.example.net;unknownparam");
  ASSERT_TRUE(na);
  EXPECT_TRUE(na->uri.params.empty());
  ASSERT_EQ(na->params.size(), 1u);
  EXPECT_EQ(na->params[0].name, "unknownparam");
}

TEST(NameAddr, WritesTheAngleFormAndParsesBackEqual) {
  auto na = NameAddr::parse("sip:alice@contoso.com;tag=x");
  ASSERT_TRUE(na);
  EXPECT_EQ(na->str(), "<sip:alice@contoso.com>;tag=x");
  EXPECT_EQ(NameAddr::parse(na->str()).value(), *na);
}

TEST(NameAddr, RejectsMalformedValues) {
  for (const char* bad : {"\"unterminated <sip:a@b>", "< sip:a@b >", "Bell, Alexander <sip:a@b>",
                          "sip:user@example.com?Route=%3Csip:x%3E", "<sip:a@b>;;", "<sip:a@b"}) {
    EXPECT_FALSE(NameAddr::parse(bad)) << bad;
  }
}

}  // namespace
}  // namespace fedgate::sip
