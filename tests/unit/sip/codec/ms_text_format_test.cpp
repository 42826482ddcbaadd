// ms-text-format: the first IM of a Lync session carried in the INVITE.
#include "sip/codec/ms_text_format.hpp"

#include <gtest/gtest.h>

namespace fedgate::sip {
namespace {

TEST(MsTextFormat, DecodesBase64BodyAndKeepsFormatBlob) {
  auto v = parse_ms_text_format("text/plain; charset=UTF-8;msgr=WAAtAE0ATQBTAA0ACgA;ms-body=SGVsbG8gQm9i");
  ASSERT_TRUE(v) << v.error().message();
  EXPECT_EQ(v->content_type, "text/plain");
  EXPECT_EQ(v->charset, "UTF-8");
  EXPECT_EQ(v->format, "WAAtAE0ATQBTAA0ACgA");
  EXPECT_EQ(v->body, "Hello Bob");
}

TEST(MsTextFormat, WrittenValueReadsBackEqual) {
  MsTextFormat v{"text/html", "UTF-8", "", "<b>caf\xc3\xa9</b>"};
  EXPECT_EQ(parse_ms_text_format(write_ms_text_format(v)).value(), v);
}

TEST(MsTextFormat, RejectsBadBase64AndMissingType) {
  EXPECT_FALSE(parse_ms_text_format("text/plain;ms-body=SGVsbG8*"));
  EXPECT_FALSE(parse_ms_text_format("plain;ms-body=SGVsbG8="));
}

}  // namespace
}  // namespace fedgate::sip
