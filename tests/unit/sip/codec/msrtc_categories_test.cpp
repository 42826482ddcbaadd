// msrtc-event-categories documents (MS-PRES §2.2.2): state, note, contactCard, publishTime.
#include "sip/codec/msrtc_categories.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "sip/codec/parse_error.hpp"
#include "tests/fuzz/sip/msrtc_reference.hpp"

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


constexpr const char* kCat = "http://schemas.microsoft.com/2006/09/sip/categories";

std::string categories(const std::string& inner) {
  return std::string("<categories xmlns=\"") + kCat + "\" uri=\"sip:b@c.com\">" + inner +
         "</categories>";
}

// The streaming reader reads what the tree reader read: first child of each name, direct text
// only, namespaces as declared, foreign elements skipped, errors alike.
TEST(MsrtcCategories, StreamingReaderAgreesWithTheTreeReader) {
  const std::string state = "<state xmlns='http://schemas.microsoft.com/2006/09/sip/state' ";
  const std::vector<std::string> docs = {
      kNotifyBody,
      categories("<category name='state'>" + state + "a:type='x' xmlns:a='urn:a' type='y'>"
                 "<availability>35<!-- c -->00<x>9</x></availability><availability>7</availability>"
                 "<activity/><activity token='t2'/><device>d<![CDATA[e&]]></device></state>"
                 + state + "><availability>9000</availability></state></category>"),
      categories("<category name='note'><note xmlns='http://schemas.microsoft.com/2006/09/sip/note'>"
                 "<body>no type</body><body type='OOF'>second</body></note>"
                 "<note xmlns='urn:other'><body type='x'>foreign</body></note></category>"),
      categories("<x:category xmlns:x='urn:other' name='skipped'/><category><category name='in'/>"
                 "<state xmlns='urn:wrong'><availability>bad</availability></state></category>"),
      categories("<category name='state'>" + state + "><availability>-1</availability></state>"
                 "</category>"),
      categories("<category name='state'>" + state + "><availability> 3500</availability></state>"
                 "</category>"),
      "<categories xmlns='urn:wrong'><category name='state'/></categories>",
      "<categories xmlns='http://schemas.microsoft.com/2006/09/sip/categories'><category>",
      "<!DOCTYPE categories><categories/>",
  };
  for (const auto& doc : docs) {
    auto streamed = parse_msrtc_categories(doc);
    auto tree = reference::parse_msrtc_categories(doc);
    ASSERT_EQ(streamed.has_value(), tree.has_value()) << doc;
    if (tree) {
      EXPECT_EQ(*streamed, *tree) << doc;
    } else {
      EXPECT_EQ(streamed.error(), tree.error()) << doc;
    }
  }
}

TEST(MsrtcCategories, FirstChildOfEachNameWinsAndTextIsDirectText) {
  auto doc = parse_msrtc_categories(categories(
      "<category name='state'><state xmlns='http://schemas.microsoft.com/2006/09/sip/state'>"
      "<availability>35<x>1</x>00</availability><availability>9000</availability>"
      "<activity token='first'/><activity token='second'/></state></category>"));
  ASSERT_TRUE(doc) << doc.error().message();
  EXPECT_EQ(doc->categories[0].state->availability, 3500u);
  EXPECT_EQ(doc->categories[0].state->activity_token, "first");
}

// The thread's parser is reset between documents: a refused document leaves nothing behind.
TEST(MsrtcCategories, ParserIsReusableAfterRefusalsAndOnOtherThreads) {
  EXPECT_EQ(parse_msrtc_categories("<!DOCTYPE x><x/>").error(), make_error_code(ParseErrc::bad_xml));
  EXPECT_FALSE(parse_msrtc_categories(categories("<category>")));
  EXPECT_TRUE(parse_msrtc_categories(kNotifyBody));
  bool on_other_thread = false;
  std::thread t([&] { on_other_thread = parse_msrtc_categories(kNotifyBody).has_value(); });
  t.join();
  EXPECT_TRUE(on_other_thread);
}

}  // namespace
}  // namespace fedgate::sip
