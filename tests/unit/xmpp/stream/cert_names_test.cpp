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

}  // namespace
}  // namespace fedgate::xmpp
