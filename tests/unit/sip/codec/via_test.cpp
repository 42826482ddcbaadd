// Via parsing (RFC 3261 §20.42, RFC 3581, RFC 5118 §4.5, MS-SIPRE Via parameters).
#include "sip/codec/via.hpp"

#include <gtest/gtest.h>

namespace fedgate::sip {
namespace {

TEST(Via, ParsesSentProtocolSentByAndParameters) {
  auto v = Via::parse("SIP/2.0/tls 192.0.2.1:5061;branch=z9hG4bK776asdhds;rport;ms-received-port=5061");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->transport, "TLS");
  EXPECT_EQ(v->host, "192.0.2.1");
  EXPECT_EQ(v->port, 5061);
  EXPECT_EQ(v->branch(), "z9hG4bK776asdhds");
  EXPECT_EQ(v->rport(), "");
  EXPECT_EQ(v->param("ms-received-port"), "5061");
}

TEST(Via, ToleratesWhitespaceAroundSlashesAndEquals) {
  auto v = Via::parse("SIP  / 2.0  / TCP     spindle.example.com   ;   branch  =   z9hG4bK9ikj8");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->str(), "SIP/2.0/TCP spindle.example.com;branch=z9hG4bK9ikj8");
}

TEST(Via, AcceptsIpv6ReceivedWithOrWithoutBrackets) {
  auto with = Via::parse("SIP/2.0/UDP [2001:db8::9:1];received=[2001:db8::9:255];branch=z9hG4bKas3");
  auto without = Via::parse("SIP/2.0/UDP [2001:db8::9:1];received=2001:db8::9:255;branch=z9hG4bKas3");
  ASSERT_TRUE(with && without);
  EXPECT_EQ(with->received(), "[2001:db8::9:255]");
  EXPECT_EQ(without->received(), "2001:db8::9:255");
}

TEST(Via, RejectsEmptyParametersAndMissingSentBy) {
  for (const char* bad : {"SIP/2.0/UDP 192.0.2.15;;", "SIP/2.0/UDP", "SIP/2.0 host", "SIP/2.0/UDPhost"}) {
    EXPECT_FALSE(Via::parse(bad)) << bad;
  }
}

}  // namespace
}  // namespace fedgate::sip
