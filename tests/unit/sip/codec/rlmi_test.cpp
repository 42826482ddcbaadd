// RLMI documents (RFC 4662 §5) incl. Microsoft's resubscribe instance state.
#include "sip/codec/rlmi.hpp"

#include <gtest/gtest.h>

namespace fedgate::sip {
namespace {

TEST(Rlmi, ReadsResourcesInstancesAndResubscribe) {
  auto list = parse_rlmi(
      "<list xmlns=\"urn:ietf:params:xml:ns:rlmi\" uri=\"sip:alice@contoso.com\" version=\"3\" "
      "fullState=\"false\"><resource uri=\"sip:bob@fabrikam.com\"><instance id=\"0\" state=\"active\" "
      "cid=\"bob@fabrikam.com\"/></resource><resource uri=\"sip:carol@fabrikam.com\">"
      "<instance id=\"0\" state=\"resubscribe\"/></resource></list>");
  ASSERT_TRUE(list) << list.error().message();
  EXPECT_EQ(list->version, "3");
  EXPECT_FALSE(list->full_state);
  ASSERT_EQ(list->resources.size(), 2u);
  EXPECT_EQ(list->resources[0].instances[0].cid, "bob@fabrikam.com");
  EXPECT_FALSE(list->resources[0].needs_resubscribe());
  EXPECT_TRUE(list->resources[1].needs_resubscribe());
}

TEST(Rlmi, WrittenDocumentReadsBackEqual) {
  RlmiList list{"sip:l@x", "1", true,
                {RlmiResource{"sip:a@b", {RlmiInstance{"i", "terminated", "rejected", ""}}}}};
  EXPECT_EQ(parse_rlmi(write_rlmi(list)).value(), list);
}

}  // namespace
}  // namespace fedgate::sip
