#include "xmpp/codec/base64.hpp"

#include <gtest/gtest.h>

#include "xmpp/codec/stream_error.hpp"

namespace fedgate::xmpp {
namespace {

TEST(Base64, EncodesTheRfc4648Vectors) {  // RFC 4648 §10
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64_encode("conference.example.org"), "Y29uZmVyZW5jZS5leGFtcGxlLm9yZw==");
}

TEST(Base64, DecodesStrictly) {
  EXPECT_EQ(base64_decode("Zm9vYg=="), "foob");
  EXPECT_EQ(base64_decode("Zm9vYmE="), "fooba");
  EXPECT_FALSE(base64_decode("Zm9vYg="));    // length
  EXPECT_FALSE(base64_decode("Zm9v YmE="));  // whitespace
  EXPECT_FALSE(base64_decode("Zh=="));       // non-canonical padding bits
  EXPECT_FALSE(base64_decode("Z=9v"));       // padding in the middle
}

TEST(StreamErrc, NamesRoundTrip) {  // RFC 6120 §4.9.3
  EXPECT_EQ(condition_name(StreamErrc::not_well_formed), "not-well-formed");
  EXPECT_EQ(stream_condition_from_name("see-other-host"), StreamErrc::see_other_host);
  EXPECT_FALSE(stream_condition_from_name("no-such-thing"));
  EXPECT_EQ(make_error_code(StreamErrc::host_unknown).message(), "host-unknown");
}

}  // namespace
}  // namespace fedgate::xmpp
