// SIP URI / name-addr ↔ neutral Address (RFC 7247 §6.4, §6.5), epid and tag kept on the side.
#include "sip/bridge/convert_address.hpp"

#include <gtest/gtest.h>

#include "corpus.hpp"
#include "sip/bridge/convert_errc.hpp"

namespace fedgate::sip {
namespace {

presence::Address addr(std::string_view text) { return presence::Address::parse(text).value(); }

TEST(ConvertAddress, FromAndToOfAnRfc7572MessageBecomeBareAddresses) {
  const Request r = test::rfc_request("rfc7572/5-01-sip2xmpp.txt");
  auto from = party_from(r.from);
  ASSERT_TRUE(from);
  EXPECT_EQ(from->address, addr("romeo@example.net"));
  EXPECT_EQ(from->tag, "vwxyz");
  EXPECT_EQ(address_from_uri(r.to.uri).value(), addr("juliet@example.com"));
}

TEST(ConvertAddress, GruuBecomesTheResource) {
  const Request r = test::rfc_request("rfc7572/4-02-xmpp2sip.txt");
  EXPECT_EQ(party_from(r.from)->address, addr("juliet@example.com/yn0cl4bnw0yr3vym"));
}

TEST(ConvertAddress, LyncEpidIsKeptForEchoing) {
  auto na = NameAddr::parse("\"Bob\" <sip:Bob@Contoso.com>;tag=9c4e;epid=62ccbeb808").value();
  auto party = party_from(na).value();
  EXPECT_EQ(party.address, addr("bob@contoso.com"));
  EXPECT_EQ(party.epid, "62ccbeb808");
  EXPECT_EQ(party.display_name, "Bob");
  EXPECT_EQ(name_addr_for(party.address, party.tag, party.epid).str(),
            "<sip:bob@contoso.com>;tag=9c4e;epid=62ccbeb808");
}

TEST(ConvertAddress, PercentEscapesAreDecodedAndReEncoded) {
  auto a = address_from_uri(Uri::parse("sip:o%27malley@example.com").value());
  ASSERT_TRUE(a);
  EXPECT_EQ(a->local(), "o'malley");
  auto spaced = presence::Address::make("a#b", "example.com").value();
  EXPECT_EQ(uri_for(spaced).str(), "sip:a%23b@example.com");
  EXPECT_EQ(address_from_uri(uri_for(spaced)).value(), spaced);
}

TEST(ConvertAddress, UrisWithoutUserAtDomainAreRefused) {
  for (const char* text :
       {"sip:example.com", "sip:alice@192.0.2.1", "tel:+15551234", "sip:a%40b@example.com"}) {
    auto a = address_from_uri(Uri::parse(text).value());
    ASSERT_FALSE(a) << text;
    EXPECT_EQ(a.error(), make_error_code(ConvertErrc::bad_address)) << text;
  }
}

TEST(ConvertAddress, DocumentUrisAcceptPresSipAndBareForms) {
  EXPECT_EQ(address_from_document_uri("pres:juliet@example.com").value(),
            addr("juliet@example.com"));
  EXPECT_EQ(address_from_document_uri("user2@server.contoso.com").value(),
            addr("user2@server.contoso.com"));
  EXPECT_FALSE(address_from_document_uri("pres:"));
}

}  // namespace
}  // namespace fedgate::sip
