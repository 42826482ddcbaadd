// RLMI list notifications fedgate sends for a batched subscription (RFC 4662 §5, MS-PRES):
// each is read back by the same parser that reads Lync's (convert_rlmi).
#include <gtest/gtest.h>

#include "sip/bridge/convert_presence_out.hpp"
#include "sip/bridge/convert_rlmi.hpp"

namespace fedgate::sip {
namespace {

presence::Address addr(std::string_view text) { return presence::Address::parse(text).value(); }

ResourceInstance instance(std::string_view who, std::string state, std::optional<Body> doc = {}) {
  ResourceInstance r;
  r.resource = addr(who);
  r.state = std::move(state);
  r.document = std::move(doc);
  return r;
}

Body busy_document(std::string_view who) {
  MsrtcStateForm form;
  form.availability = 6500;
  form.note = "in a meeting";
  return msrtc_body_for(addr(who), form);
}

TEST(RlmiBodyFor, ActivePendingAndTerminatedInstancesReadBack) {
  std::vector<ResourceInstance> list{
      instance("alice@corp.example", "active", busy_document("alice@corp.example")),
      instance("carol@corp.example", "pending"), instance("dave@corp.example", "terminated")};
  list[2].reason = "rejected";
  Body body = rlmi_body_for("sip:bob@partner.example", 4, true, list, "fgb1");
  EXPECT_TRUE(body.type.is(kMultipartRelatedType));
  EXPECT_EQ(body.type.param("boundary"), "fgb1");
  auto notice = presence_from_rlmi(body.type, body.bytes);
  ASSERT_TRUE(notice) << notice.error().message();
  EXPECT_EQ(notice->list_uri, "sip:bob@partner.example");
  EXPECT_EQ(notice->version, "4");
  EXPECT_TRUE(notice->full_state);
  ASSERT_EQ(notice->resources.size(), 3u);
  ASSERT_TRUE(notice->resources[0].document);
  EXPECT_EQ(notice->resources[0].document->presence.availability, presence::Availability::busy);
  EXPECT_EQ(notice->resources[0].document->presence.status_text, "in a meeting");
  EXPECT_EQ(notice->resources[1].state, "pending");
  EXPECT_FALSE(notice->resources[1].document);
  EXPECT_EQ(notice->resources[2].state, "terminated");
  EXPECT_EQ(notice->resources[2].reason, "rejected");
}

TEST(RlmiBodyFor, DocumentOfAnInstanceNotActiveIsLeftOut) {
  Body body = rlmi_body_for(
      "sip:bob@partner.example", 0, false,
      {instance("carol@corp.example", "pending", busy_document("carol@corp.example"))}, "fgb2");
  EXPECT_EQ(body.bytes.find("categories"), std::string::npos);
  auto notice = presence_from_rlmi(body.type, body.bytes);
  ASSERT_TRUE(notice);
  EXPECT_FALSE(notice->full_state);
  ASSERT_EQ(notice->resources.size(), 1u);
  EXPECT_EQ(notice->resources[0].resource, addr("carol@corp.example"));
}

}  // namespace
}  // namespace fedgate::sip
