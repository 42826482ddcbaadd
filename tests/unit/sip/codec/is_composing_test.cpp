// isComposing (RFC 3994) and Lync KeyboardActivity documents.
#include "sip/codec/is_composing.hpp"

#include <gtest/gtest.h>

namespace fedgate::sip {
namespace {

TEST(IsComposing, ReadsStateRefreshAndContentType) {
  auto doc = parse_is_composing(
      "<?xml version='1.0' encoding='UTF-8'?><isComposing xmlns='urn:ietf:params:xml:ns:im-iscomposing'>"
      "<state>active</state><contenttype>text/plain</contenttype><refresh>60</refresh></isComposing>");
  ASSERT_TRUE(doc) << doc.error().message();
  EXPECT_TRUE(doc->active);
  EXPECT_EQ(doc->refresh, 60u);
  EXPECT_EQ(doc->content_type, "text/plain");
}

TEST(IsComposing, WrittenDocumentReadsBackEqualAndBadStatesFail) {
  IsComposing doc{false, "text/html", 90, "2024-05-01T10:00:00Z"};
  EXPECT_EQ(parse_is_composing(write_is_composing(doc)).value(), doc);
  EXPECT_FALSE(parse_is_composing(
      "<isComposing xmlns='urn:ietf:params:xml:ns:im-iscomposing'><state>typing</state></isComposing>"));
}

TEST(KeyboardActivity, ReadsTypeAndIdle) {
  EXPECT_EQ(parse_keyboard_activity(write_keyboard_activity(true)).value(), true);
  EXPECT_EQ(parse_keyboard_activity(write_keyboard_activity(false)).value(), false);
  EXPECT_FALSE(parse_keyboard_activity("<KeyboardActivity/>"));
}

}  // namespace
}  // namespace fedgate::sip
