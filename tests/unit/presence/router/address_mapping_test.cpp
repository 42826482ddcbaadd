// RFC 7247 §6.4/§6.5 address mapping, using the RFC's own example tables
// (corpus interworking/rfc7247/6.4-01-addr-sip.txt and 6.5-01-addr-xmpp.txt).
#include "presence/address_mapping.hpp"

#include <gtest/gtest.h>

#include "tests/unit/presence/router/rfc_table.hpp"

namespace fedgate::presence {
namespace {

struct SipToXmpp {
  const char* sip;
  const char* jid;
};

class SipToXmppTable : public testing::TestWithParam<SipToXmpp> {};

TEST_P(SipToXmppTable, MapsSipUriToJid) {
  auto a = address_from_sip_uri(GetParam().sip);
  ASSERT_TRUE(a.has_value()) << GetParam().sip << ": " << to_string(a.error());
  EXPECT_EQ(to_jid(*a), GetParam().jid);
}

// RFC 7247 §6.4 table ("f&#xFC;" is the XML rendering of UTF-8 "fü").
INSTANTIATE_TEST_SUITE_P(
    Rfc7247Section64, SipToXmppTable,
    testing::Values(SipToXmpp{"sip:f%C3%BC@sip.example", "f\xC3\xBC@sip.example"},
                    SipToXmpp{"sip:o'malley@sip.example", "o\\27malley@sip.example"},
                    SipToXmpp{"sip:foo@sip.example;gr=bar", "foo@sip.example/bar"},
                    SipToXmpp{"SIPS:Alice@Corp.Example:5061;transport=tls", "alice@corp.example"},
                    SipToXmpp{"sip:bob;x=1@x.example?subject=hi", "bob;x=1@x.example"}));

struct XmppToSip {
  const char* jid;
  const char* sip;
};

class XmppToSipTable : public testing::TestWithParam<XmppToSip> {};

TEST_P(XmppToSipTable, MapsJidToSipUri) {
  auto a = address_from_jid(GetParam().jid);
  ASSERT_TRUE(a.has_value()) << GetParam().jid << ": " << to_string(a.error());
  EXPECT_EQ(to_sip_uri(*a), GetParam().sip);
}

// RFC 7247 §6.5 table.
INSTANTIATE_TEST_SUITE_P(
    Rfc7247Section65, XmppToSipTable,
    testing::Values(XmppToSip{"m\\26m@xmpp.example", "sip:m&m@xmpp.example"},
                    XmppToSip{"tsch\xC3\xBCss@xmpp.example", "sip:tsch%C3%BCss@xmpp.example"},
                    XmppToSip{"baz@xmpp.example/qux", "sip:baz@xmpp.example;gr=qux"},
                    XmppToSip{"xmpp:a\\3cb@xmpp.example", "sip:a%3Cb@xmpp.example"}));

struct Refused {
  const char* text;
  bool sip;
  AddressErrc error;
};

class RefusedTable : public testing::TestWithParam<Refused> {};

TEST_P(RefusedTable, RefusesWhatCannotBeRepresented) {
  const auto& c = GetParam();
  auto a = c.sip ? address_from_sip_uri(c.text) : address_from_jid(c.text);
  ASSERT_FALSE(a.has_value()) << c.text;
  EXPECT_EQ(a.error(), c.error) << c.text << ": " << to_string(a.error());
}

INSTANTIATE_TEST_SUITE_P(
    Table, RefusedTable,
    testing::Values(Refused{"sip:a%40b@x.example", true, AddressErrc::not_representable},
                    Refused{"sip:a%20b@x.example", true, AddressErrc::not_representable},
                    Refused{"sip:%FF%FE@x.example", true, AddressErrc::not_representable},
                    Refused{"sip:a%2@x.example", true, AddressErrc::bad_percent},
                    Refused{"sip:a%zz@x.example", true, AddressErrc::bad_percent},
                    Refused{"tel:+15551234", true, AddressErrc::bad_scheme},
                    Refused{"sip:x.example", true, AddressErrc::missing_local},
                    Refused{"sip:a@x..example", true, AddressErrc::bad_domain},
                    Refused{"o'malley@x.example", false, AddressErrc::bad_escape},
                    Refused{"a\\40b@x.example", false, AddressErrc::not_representable},
                    Refused{"x.example", false, AddressErrc::missing_local},
                    Refused{"a@x.example/", false, AddressErrc::bad_resource}));

TEST(AddressMapping, RoundTripsThroughBothForms) {
  for (const char* uri : {"sip:o'malley@sip.example", "sip:tsch%C3%BCss@xmpp.example",
                          "sip:m&m@xmpp.example;gr=qux", "sip:a%5Cb@x.example"}) {
    auto from_sip = address_from_sip_uri(uri);
    ASSERT_TRUE(from_sip.has_value()) << uri;
    auto from_jid = address_from_jid(to_jid(*from_sip));
    ASSERT_TRUE(from_jid.has_value()) << to_jid(*from_sip);
    EXPECT_EQ(*from_jid, *from_sip);
    EXPECT_EQ(to_sip_uri(*from_jid), uri);
  }
}

// The RFC writes non-ASCII JID characters as XML references ("f&#xFC;"): decode them.
std::string decode_char_refs(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s.compare(i, 3, "&#x") == 0) {
      auto end = s.find(';', i);
      auto cp = std::stoul(s.substr(i + 3, end - i - 3), nullptr, 16);  // U+0080..U+07FF here
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
      i = end;
    } else {
      out += s[i];
    }
  }
  return out;
}

TEST(AddressMapping, EveryRowOfTheRfcTablesBothWays) {
  auto sip_rows = testing_support::read_rfc_table("rfc7247-6.4-01-addr-sip.txt");
  auto xmpp_rows = testing_support::read_rfc_table("rfc7247-6.5-01-addr-xmpp.txt");
  ASSERT_EQ(sip_rows.size(), 3u);
  ASSERT_EQ(xmpp_rows.size(), 3u);
  for (const auto& [sip, jid] : sip_rows) {
    auto a = address_from_sip_uri(sip);
    ASSERT_TRUE(a.has_value()) << sip;
    EXPECT_EQ(to_jid(*a), decode_char_refs(jid)) << sip;
  }
  for (const auto& [jid, sip] : xmpp_rows) {
    auto a = address_from_jid(decode_char_refs(jid));
    ASSERT_TRUE(a.has_value()) << jid;
    EXPECT_EQ(to_sip_uri(*a), sip) << jid;
  }
}

TEST(AddressMapping, Utf8Validation) {
  EXPECT_TRUE(is_valid_utf8("tsch\xC3\xBCss"));
  EXPECT_TRUE(is_valid_utf8("\xF0\x9F\x98\x80"));
  EXPECT_FALSE(is_valid_utf8("\xC3"));
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));
  EXPECT_FALSE(is_valid_utf8("\xE2\x82"));
}

}  // namespace
}  // namespace fedgate::presence
