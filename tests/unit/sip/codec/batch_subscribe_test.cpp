// batchSub / adhocList / categoryList documents (MS-PRES §2.2.2.4.1).
#include "sip/codec/batch_subscribe.hpp"

#include <gtest/gtest.h>

namespace fedgate::sip {
namespace {

TEST(BatchSubscribe, ReadsResourcesAndCategories) {
  auto doc = parse_batch_subscribe(
      "<batchSub xmlns=\"http://schemas.microsoft.com/2006/01/sip/batch-subscribe\" "
      "uri=\"sip:alice@contoso.com\" name=\"\"><action name=\"subscribe\" id=\"63792024\">"
      "<adhocList><resource uri=\"sip:bob@fabrikam.com\"/><resource uri=\"sip:carol@fabrikam.com\"/>"
      "</adhocList><categoryList xmlns=\"http://schemas.microsoft.com/2006/09/sip/categorylist\">"
      "<category name=\"contactCard\"/><category name=\"note\"/><category name=\"state\"/>"
      "</categoryList></action></batchSub>");
  ASSERT_TRUE(doc) << doc.error().message();
  EXPECT_EQ(doc->uri, "sip:alice@contoso.com");
  EXPECT_EQ(doc->action_id, "63792024");
  EXPECT_EQ(doc->resources, (std::vector<std::string>{"sip:bob@fabrikam.com", "sip:carol@fabrikam.com"}));
  EXPECT_EQ(doc->categories, (std::vector<std::string>{"contactCard", "note", "state"}));
}

TEST(BatchSubscribe, WrittenDocumentReadsBackEqual) {
  BatchSubscribe doc{"sip:gw@example.org", "subscribe", "7", {"sip:x@contoso.com"}, {"state", "note"}};
  EXPECT_EQ(parse_batch_subscribe(write_batch_subscribe(doc)).value(), doc);
}

TEST(BatchSubscribe, RejectsADocumentWithoutAction) {
  EXPECT_FALSE(parse_batch_subscribe(
      "<batchSub xmlns=\"http://schemas.microsoft.com/2006/01/sip/batch-subscribe\"/>"));
}

}  // namespace
}  // namespace fedgate::sip
