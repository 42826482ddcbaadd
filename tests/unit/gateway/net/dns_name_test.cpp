// RFC 6125 name matching: DNS-ID with one left-most wildcard label, SRV-ID, XmppAddr.
#include <gtest/gtest.h>

#include "gateway/net/certificate.hpp"

namespace fedgate::gateway {
namespace {

TEST(DnsNameMatches, ExactNamesAreCaseInsensitiveAndIgnoreTheTrailingDot) {
  EXPECT_TRUE(dns_name_matches("example.com", "EXAMPLE.com."));
  EXPECT_TRUE(dns_name_matches("Example.COM.", "example.com"));
  EXPECT_FALSE(dns_name_matches("example.com", "www.example.com"));
  EXPECT_FALSE(dns_name_matches("", ""));
}

TEST(DnsNameMatches, WildcardMatchesExactlyOneLeftMostLabel) {
  EXPECT_TRUE(dns_name_matches("*.example.com", "sip.example.com"));
  EXPECT_FALSE(dns_name_matches("*.example.com", "example.com"));
  EXPECT_FALSE(dns_name_matches("*.example.com", "a.b.example.com"));
  EXPECT_FALSE(dns_name_matches("*.example.com", ".example.com"));
}

TEST(DnsNameMatches, PartialAndNonLeftMostWildcardsAreRefused) {
  EXPECT_FALSE(dns_name_matches("s*.example.com", "sip.example.com"));
  EXPECT_FALSE(dns_name_matches("sip.*.com", "sip.example.com"));
  EXPECT_FALSE(dns_name_matches("*.*.com", "a.example.com"));
  EXPECT_FALSE(dns_name_matches("*.com", "example.com"));  // at least two labels after '*'
  EXPECT_FALSE(dns_name_matches("*", "example"));
}

TEST(CoversName, SrvIdNeedsTheServiceAndTheDomain) {
  CertificateInfo info;
  info.srv_names = {"_xmpp-server.example.com"};
  EXPECT_TRUE(covers_srv_name(info, "xmpp-server", "Example.com"));
  EXPECT_FALSE(covers_srv_name(info, "xmpp-client", "example.com"));
  EXPECT_FALSE(covers_srv_name(info, "xmpp-server", "other.com"));
  EXPECT_FALSE(covers_dns_name(info, "example.com"));
}

TEST(CoversName, XmppDomainAcceptsDnsIdSrvIdOrXmppAddr) {
  CertificateInfo dns, srv, addr, none;
  dns.dns_names = {"*.example.com"};
  srv.srv_names = {"_xmpps-server.chat.example.com"};
  addr.xmpp_addrs = {"chat.example.com"};
  none.dns_names = {"example.com"};
  EXPECT_TRUE(covers_xmpp_domain(dns, "chat.example.com"));
  EXPECT_TRUE(covers_xmpp_domain(srv, "chat.example.com"));
  EXPECT_TRUE(covers_xmpp_domain(addr, "CHAT.example.com"));
  EXPECT_FALSE(covers_xmpp_domain(none, "chat.example.com"));
  EXPECT_FALSE(covers_dns_name(addr, "chat.example.com"));  // XmppAddr is not a DNS-ID
}

TEST(Fingerprint, ComparesIgnoringColonsAndCase) {
  EXPECT_TRUE(fingerprint_equals("AB:cd:01", "abcd01"));
  EXPECT_FALSE(fingerprint_equals("abcd02", "abcd01"));
  EXPECT_FALSE(fingerprint_equals("", ""));
}

TEST(CertErrc, MessagesArePrecise) {
  EXPECT_EQ(make_error_code(CertErrc::expired).message(), "certificate has expired");
  EXPECT_EQ(make_error_code(CertErrc::name_mismatch).message(),
            "certificate does not cover the expected name");
  EXPECT_EQ(make_error_code(CertErrc::pin_mismatch).category().name(), std::string("fedgate.cert"));
}

}  // namespace
}  // namespace fedgate::gateway
