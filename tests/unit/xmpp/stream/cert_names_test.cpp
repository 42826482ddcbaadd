#include "xmpp/stream/cert_names.hpp"

#include <gtest/gtest.h>

namespace fedgate::xmpp {
namespace {

TEST(CertNames, ExactNamesMatchCaseInsensitively) {  // RFC 6125 §6.4.1
  EXPECT_TRUE(certificate_matches({"Example.COM"}, "example.com"));
  EXPECT_TRUE(certificate_matches({"other.example", "example.com."}, "example.com"));
  EXPECT_FALSE(certificate_matches({"example.org"}, "example.com"));
  EXPECT_FALSE(certificate_matches({}, "example.com"));
  EXPECT_FALSE(certificate_matches({"example.com"}, ""));
}

TEST(CertNames, WildcardCoversExactlyOneLeftMostLabel) {  // RFC 6125 §6.4.3
  EXPECT_TRUE(certificate_matches({"*.example.com"}, "im.example.com"));
  EXPECT_FALSE(certificate_matches({"*.example.com"}, "example.com"));
  EXPECT_FALSE(certificate_matches({"*.example.com"}, "a.im.example.com"));
  EXPECT_FALSE(certificate_matches({"*.com"}, "example.com"));
  EXPECT_FALSE(certificate_matches({"im*.example.com"}, "im1.example.com"));
  EXPECT_FALSE(certificate_matches({"im.*.com"}, "im.example.com"));
}

// DNS-IDs carry A-labels, XmppAddrs UTF-8; a JID domain is held as U-labels (RFC 7622 §3.2).
TEST(CertNames, InternationalisedNamesMatchInEitherForm) {
  const std::string u_domain =
      "b\xC3\xBC"
      "cher.example";  // bücher.example
  EXPECT_TRUE(certificate_matches({"xn--bcher-kva.example"}, u_domain));
  EXPECT_TRUE(certificate_matches({"*.xn--bcher-kva.example"}, "im." + u_domain));
  EXPECT_TRUE(certificate_matches({u_domain}, "xn--bcher-kva.example"));
  EXPECT_FALSE(certificate_matches({"xn--bcher-kva.example"}, "bucher.example"));
  EXPECT_FALSE(certificate_matches({"*." + u_domain}, "im.xn--bcher-kva.example"));
}

}  // namespace
}  // namespace fedgate::xmpp
