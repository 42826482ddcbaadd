// msrtc-event-categories documents (MS-PRES §2.2.2): state, note, contactCard, publishTime.
#include "sip/codec/msrtc_categories.hpp"

#include <gtest/gtest.h>

namespace fedgate::sip {
namespace {

constexpr const char* kNotifyBody =
    "<categories xmlns=\"http://schemas.microsoft.com/2006/09/sip/categories\" uri=\"sip:bob@contoso.com\">"
    "<category name=\"state\" instance=\"0\" publishTime=\"2024-05-01T09:30:00.127Z\">"
    "<state xmlns=\"http://schemas.microsoft.com/2006/09/sip/state\" manual=\"true\" "
    "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"aggregateState\">"
    "<availability>6500</availability><activity token=\"on-the-phone\"/><device>computer</device>"
    "</state></category>"
    "<category name=\"note\" instance=\"0\" publishTime=\"2024-05-01T09:31:00Z\">"
    "<note xmlns=\"http://schemas.microsoft.com/2006/09/sip/note\"><body type=\"OOF\" uri=\"\">"
    "Back Monday</body></note></category>"
    "<category name=\"contactCard\" instance=\"0\" container=\"100\">"
    "<contactCard xmlns=\"http://schemas.microsoft.com/2006/09/sip/contactcard\"><identity>"
    "<name><displayName>Bob Jones</displayName></name><email>bob@contoso.com</email></identity>"
    "<title>Engineer</title></contactCard></category></categories>";

TEST(MsrtcCategories, ReadsStateNoteAndContactCard) {
  auto doc = parse_msrtc_categories(kNotifyBody);
  ASSERT_TRUE(doc) << doc.error().message();
  ASSERT_EQ(doc->categories.size(), 3u);
  const auto& state = doc->categories[0].state.value();
  EXPECT_EQ(state.availability, 6500u);
  EXPECT_EQ(state.activity_token, "on-the-phone");
  EXPECT_EQ(state.device, "computer");
  EXPECT_TRUE(state.manual);
  EXPECT_EQ(state.type, "aggregateState");
  EXPECT_EQ(doc->categories[1].note, (MsrtcNote{"OOF", "Back Monday"}));
  EXPECT_EQ(doc->categories[2].contact_card->display_name, "Bob Jones");
  EXPECT_EQ(doc->categories[2].container, "100");
}

TEST(MsrtcCategories, EmptyNoteBodyMeansCleared) {
  auto doc = parse_msrtc_categories(
      "<categories xmlns=\"http://schemas.microsoft.com/2006/09/sip/categories\"><category name=\"note\">"
      "<note xmlns=\"http://schemas.microsoft.com/2006/09/sip/note\"><body type=\"personal\" uri=\"\"/>"
      "</note></category></categories>");
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->categories[0].note, (MsrtcNote{"personal", ""}));
}

TEST(MsrtcCategories, WrittenDocumentReadsBackEqual) {
  auto doc = parse_msrtc_categories(kNotifyBody).value();
  doc.categories[2].contact_card->company = "Contoso & Co";
  auto back = parse_msrtc_categories(write_msrtc_categories(doc));
  ASSERT_TRUE(back) << back.error().message();
  EXPECT_EQ(*back, doc);
}

TEST(MsrtcCategories, RejectsNonNumericAvailability) {
  EXPECT_FALSE(parse_msrtc_categories(
      "<categories xmlns=\"http://schemas.microsoft.com/2006/09/sip/categories\"><category name=\"state\">"
      "<state xmlns=\"http://schemas.microsoft.com/2006/09/sip/state\"><availability>busy</availability>"
      "</state></category></categories>"));
}

TEST(MsrtcCategories, PublishTimeOrdering) {
  EXPECT_TRUE(publish_time_newer("2024-05-01T09:30:00.5Z", "2024-05-01T09:30:00Z"));
  EXPECT_FALSE(publish_time_newer("2024-05-01T09:29:59.999Z", "2024-05-01T09:30:00Z"));
  EXPECT_TRUE(publish_time_newer("2024-05-01T09:30:00Z", ""));
  EXPECT_FALSE(publish_time_newer("", "2024-05-01T09:30:00Z"));
}

}  // namespace
}  // namespace fedgate::sip
