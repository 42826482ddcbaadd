// Uri::parse and its canonical form (RFC 3261 §19.1, §19.1.4; RFC 5118; RFC 3966).
#include "sip/codec/uri.hpp"

#include <gtest/gtest.h>

namespace fedgate::sip {
namespace {

TEST(Uri, ParsesUserHostPortAndParameters) {
  auto u = Uri::parse("sip:alice@Contoso.COM:5061;transport=TLS;lr;ms-opaque=AbC");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->scheme, "sip");
  EXPECT_EQ(u->user, "alice");
  EXPECT_EQ(u->host, "contoso.com");
  EXPECT_EQ(u->port, 5061);
  EXPECT_EQ(u->param("transport"), "tls");   // compared case-insensitively: stored lower
  EXPECT_EQ(u->param("lr"), "");
  EXPECT_EQ(u->param("ms-opaque"), "AbC");   // other values keep their case (Lync GRUUs)
  EXPECT_EQ(u->str(), "sip:alice@contoso.com:5061;transport=tls;lr;ms-opaque=AbC");
}

TEST(Uri, EscapedUnreservedCharactersEqualTheirPlainForm) {
  auto escaped = Uri::parse("sip:%61lice@example.com");
  auto plain = Uri::parse("SIP:alice@EXAMPLE.com");
  ASSERT_TRUE(escaped && plain);
  EXPECT_EQ(*escaped, *plain);
}

TEST(Uri, ReservedEscapesStayEscapedAndAreNotDecodedTwice) {
  auto u = Uri::parse("sip:sips%3auser%40example.com@example.net;name=value%2541");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->user, "sips%3Auser%40example.com");
  EXPECT_EQ(u->param("name"), "value%2541");  // RFC 4475 §3.1.1.3: not "valueA"
}

TEST(Uri, KeepsEscapedNulInUser) {
  auto u = Uri::parse("sip:null-%00-null@example.com");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->user, "null-%00-null");
}

TEST(Uri, Ipv6ReferenceKeepsPortOutsideBrackets) {
  auto ambiguous = Uri::parse("sip:[2001:db8::10:5070]");
  auto explicit_port = Uri::parse("sip:[2001:DB8::10]:5070");
  ASSERT_TRUE(ambiguous && explicit_port);
  EXPECT_EQ(ambiguous->host, "[2001:db8::10:5070]");
  EXPECT_FALSE(ambiguous->port);
  EXPECT_EQ(explicit_port->host, "[2001:db8::10]");
  EXPECT_EQ(explicit_port->port, 5070);
}

TEST(Uri, RejectsMalformedInput) {
  for (const char* bad : {"sip:2001:db8::10", "sip:user@host:99999", "sip:a b@host",
                          "sip:user@", "sip:%4@host", "<sip:x@y>", "sip:a@b@c", "nocolon"}) {
    EXPECT_FALSE(Uri::parse(bad)) << bad;
  }
}

TEST(Uri, OtherSchemesAreKeptAsText) {
  auto u = Uri::parse("nobodyKnowsThisScheme:totallyopaquecontent");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->scheme, "nobodyknowsthisscheme");
  EXPECT_EQ(u->opaque, "totallyopaquecontent");
  EXPECT_EQ(u->str(), "nobodyknowsthisscheme:totallyopaquecontent");
}

TEST(Uri, TelUriHasNumberAndParameters) {
  auto u = Uri::parse("tel:+1-201-555-0123;phone-context=example.com");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->user, "+1-201-555-0123");
  EXPECT_EQ(u->param("phone-context"), "example.com");
  EXPECT_EQ(Uri::parse(u->str()).value(), *u);
}

TEST(Uri, HeadersAndPasswordRoundTrip) {
  auto u = Uri::parse("sips:user:secret@example.com?Subject=hi&Route=%3Csip:x%3E");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->password, "secret");
  ASSERT_EQ(u->headers.size(), 2u);
  EXPECT_EQ(u->headers[1].value, "%3Csip:x%3E");
  EXPECT_EQ(Uri::parse(u->str()).value(), *u);
}

}  // namespace
}  // namespace fedgate::sip
