// RLMI multipart/related list NOTIFYs → per-resource presence (RFC 4662 §5, MS-SIP §4.3,
// MS-PRES batched subscriptions with the "resubscribe" instance state).
#include "sip/bridge/convert_rlmi.hpp"

#include <gtest/gtest.h>

#include "corpus.hpp"
#include "sip/bridge/convert_errc.hpp"

namespace fedgate::sip {
namespace {

presence::Address addr(std::string_view text) { return presence::Address::parse(text).value(); }

MediaType related(std::string_view boundary) {
  return MediaType::parse(
             "multipart/related; type=\"application/rlmi+xml\"; start=resourceList; "
             "boundary=" +
             std::string(boundary))
      .value();
}

// A Lync-style batched-subscription NOTIFY body: bob active with a category document,
// carol to be re-subscribed singly, dave gone.
std::string lync_list_body() {
  return "--b1\r\nContent-ID: resourceList\r\nContent-Type: application/rlmi+xml\r\n\r\n"
         "<list xmlns=\"urn:ietf:params:xml:ns:rlmi\" uri=\"sip:alice@corp.example\" "
         "version=\"3\" fullState=\"false\">"
         "<resource uri=\"sip:bob@contoso.com\"><instance id=\"1\" state=\"active\" "
         "cid=\"bob@contoso.com\"/></resource>"
         "<resource uri=\"sip:carol@contoso.com\"><instance id=\"2\" state=\"resubscribe\"/>"
         "</resource><resource uri=\"sip:dave@contoso.com\"><instance id=\"3\" "
         "state=\"terminated\" reason=\"noresource\"/></resource></list>\r\n"
         "--b1\r\nContent-ID: <bob@contoso.com>\r\n"
         "Content-Type: application/msrtc-event-categories+xml\r\n\r\n"
         "<categories xmlns=\"http://schemas.microsoft.com/2006/09/sip/categories\" "
         "uri=\"sip:bob@contoso.com\"><category name=\"state\" instance=\"0\" "
         "publishTime=\"2024-05-01T09:30:00Z\"><state "
         "xmlns=\"http://schemas.microsoft.com/2006/09/sip/state\"><availability>9500"
         "</availability></state></category></categories>\r\n--b1--\r\n";
}

TEST(PresenceFromRlmi, LyncListCarriesDocumentsAndResourceStates) {
  auto notice = presence_from_rlmi(related("b1"), lync_list_body());
  ASSERT_TRUE(notice) << notice.error().message();
  EXPECT_EQ(notice->list_uri, "sip:alice@corp.example");
  EXPECT_EQ(notice->version, "3");
  ASSERT_EQ(notice->resources.size(), 3u);
  const auto& bob = notice->resources[0];
  EXPECT_EQ(bob.resource, addr("bob@contoso.com"));
  ASSERT_TRUE(bob.document);
  EXPECT_EQ(bob.document->presence.availability, presence::Availability::dnd);
  EXPECT_EQ(bob.document->presence.entity, addr("bob@contoso.com"));
  EXPECT_TRUE(notice->resources[1].resubscribe);
  EXPECT_FALSE(notice->resources[1].document);
  EXPECT_EQ(notice->resources[2].state, "terminated");
  EXPECT_EQ(notice->resources[2].reason, "noresource");
}

TEST(PresenceFromRlmi, MsSipPiggybackedListNamesBothResources) {
  const std::string body =
      test::ms_sip_multipart("ms-sip/4.3-02-resp-200.txt", "--e7904a528704417c9a90297d24081f8e");
  auto notice = presence_from_rlmi(related("e7904a528704417c9a90297d24081f8e"), body);
  ASSERT_TRUE(notice) << notice.error().message();
  EXPECT_TRUE(notice->full_state);
  ASSERT_EQ(notice->resources.size(), 2u);
  EXPECT_EQ(notice->resources[0].resource, addr("user2@server.contoso.com"));
  EXPECT_EQ(notice->resources[1].state, "active");
  EXPECT_EQ(notice->unreadable_parts, 0u);  // LCS 2005 text/xml+msrtc.pidf parts are read
  ASSERT_TRUE(notice->resources[1].document);
  EXPECT_EQ(notice->resources[1].document->presence.availability,
            presence::Availability::offline);  // availability aggregate 0
}

TEST(PresenceFromRlmi, BodiesWithoutAUsableRootAreRefused) {
  EXPECT_EQ(presence_from_rlmi(MediaType::parse("multipart/related").value(), "").error(),
            make_error_code(ConvertErrc::bad_multipart));
  EXPECT_EQ(presence_from_rlmi(related("b1"), "--b1\r\n\r\nx\r\n--b1--\r\n").error(),
            make_error_code(ConvertErrc::bad_multipart));
  EXPECT_EQ(presence_from_rlmi(MediaType::parse("application/pidf+xml").value(), "").error(),
            make_error_code(ConvertErrc::unsupported_media_type));
}

TEST(PresenceFromRlmi, ResourcesThatAreNoAddressAreCountedNotReturned) {
  std::string body = lync_list_body();
  body.replace(body.find("sip:carol@contoso.com"), 21, "sip:192.0.2.7");
  auto notice = presence_from_rlmi(related("b1"), body);
  ASSERT_TRUE(notice);
  EXPECT_EQ(notice->resources.size(), 2u);
  EXPECT_EQ(notice->skipped_resources, 1u);
}

TEST(PresenceFromNotifyBody, DispatchesListsAndSingleDocuments) {
  auto list = presence_from_notify_body(related("b1"), lync_list_body(), {});
  ASSERT_TRUE(list);
  ASSERT_TRUE(std::holds_alternative<RlmiNotice>(*list));
  EXPECT_EQ(std::get<RlmiNotice>(*list).resources.size(), 3u);
  const std::string pidf =
      "<presence xmlns='urn:ietf:params:xml:ns:pidf' entity='pres:bob@contoso.com'>"
      "<tuple id='t'><status><basic>open</basic></status></tuple></presence>";
  auto one = presence_from_notify_body(MediaType::parse("application/pidf+xml").value(), pidf,
                                       addr("bob@contoso.com"));
  ASSERT_TRUE(one);
  EXPECT_EQ(std::get<SipPresenceDocument>(*one).presence.availability,
            presence::Availability::available);
  EXPECT_FALSE(presence_from_notify_body(std::nullopt, "", {}));
}

}  // namespace
}  // namespace fedgate::sip
