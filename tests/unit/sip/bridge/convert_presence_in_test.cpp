// SIP presence bodies → neutral presence: Lync msrtc categories (MS-PRES §2.2.2, §3.7.5.1)
// written from the specification's facts, and the RFC 8048 / RFC 7248 PIDF figures.
#include "sip/bridge/convert_presence_in.hpp"

#include <gtest/gtest.h>

#include "corpus.hpp"
#include "sip/bridge/convert_errc.hpp"
#include "sip/bridge/convert_time.hpp"

namespace fedgate::sip {
namespace {

using presence::Availability;

presence::Address addr(std::string_view text) { return presence::Address::parse(text).value(); }

std::string categories(std::string_view inner) {
  return "<categories xmlns=\"http://schemas.microsoft.com/2006/09/sip/categories\" "
         "uri=\"sip:bob@contoso.com\">" +
         std::string(inner) + "</categories>";
}

std::string state(int availability, std::string_view publish_time,
                  std::string_view type = "aggregateState") {
  return "<category name=\"state\" instance=\"0\" publishTime=\"" + std::string(publish_time) +
         "\"><state xmlns=\"http://schemas.microsoft.com/2006/09/sip/state\" "
         "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"" +
         std::string(type) + "\"><availability>" + std::to_string(availability) +
         "</availability><activity token=\"on-the-phone\"/><device>computer</device></state>"
         "</category>";
}

std::string note(std::string_view type, std::string_view text, std::string_view publish_time) {
  return "<category name=\"note\" instance=\"0\" publishTime=\"" + std::string(publish_time) +
         "\"><note xmlns=\"http://schemas.microsoft.com/2006/09/sip/note\"><body type=\"" +
         std::string(type) + "\" uri=\"\">" + std::string(text) + "</body></note></category>";
}

TEST(PresenceFromMsrtc, StateCategoryKeepsTheLyncNumberAndActivity) {
  auto doc = presence_from_msrtc(categories(state(6500, "2024-05-01T09:30:00.127Z")),
                                 addr("bob@contoso.com"));
  ASSERT_TRUE(doc) << doc.error().message();
  EXPECT_TRUE(doc->has_state);
  EXPECT_FALSE(doc->has_note);
  EXPECT_EQ(doc->presence.entity, addr("bob@contoso.com"));
  EXPECT_EQ(doc->presence.availability, Availability::busy);
  ASSERT_EQ(doc->presence.endpoints.size(), 1u);
  EXPECT_EQ(doc->presence.endpoints[0].lync_availability, 6500);
  EXPECT_EQ(doc->activity_token, "on-the-phone");
  EXPECT_EQ(doc->device, "computer");
  EXPECT_EQ(doc->publish_time, "2024-05-01T09:30:00.127Z");
  EXPECT_EQ(doc->presence.publish_time, parse_xs_date_time("2024-05-01T09:30:00.127Z"));
}

TEST(PresenceFromMsrtc, EveryMsPresAvailabilityClassMaps) {
  const std::pair<int, Availability> cases[] = {
      {3500, Availability::available},      {4500, Availability::inactive},
      {6500, Availability::busy},           {9500, Availability::dnd},
      {12500, Availability::be_right_back}, {15500, Availability::away},
      {18500, Availability::offline},       {0, Availability::offline}};
  for (auto [number, expected] : cases) {
    auto doc = presence_from_msrtc(categories(state(number, "2024-05-01T09:30:00Z")), {});
    ASSERT_TRUE(doc);
    EXPECT_EQ(doc->presence.availability, expected) << number;
  }
}

TEST(PresenceFromMsrtc, AggregateStateWinsOverUserAndMachineStates) {
  auto doc = presence_from_msrtc(categories(state(3500, "2024-05-01T09:40:00Z", "machineState") +
                                            state(15500, "2024-05-01T09:30:00Z") +
                                            state(6500, "2024-05-01T09:45:00Z", "userState")),
                                 {});
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->presence.availability, Availability::away);
}

TEST(PresenceFromMsrtc, PersonalNoteWinsOverOutOfOffice) {
  auto doc = presence_from_msrtc(categories(note("OOF", "Back Monday", "2024-05-01T09:31:00Z") +
                                            note("personal", "In the lab", "2024-05-01T09:30:00Z")),
                                 {});
  ASSERT_TRUE(doc);
  EXPECT_TRUE(doc->has_note);
  EXPECT_FALSE(doc->has_state);
  EXPECT_FALSE(doc->out_of_office);
  EXPECT_EQ(doc->presence.status_text, "In the lab");
  EXPECT_EQ(doc->publish_time, "2024-05-01T09:31:00Z");
}

TEST(PresenceFromMsrtc, OutOfOfficeNoteIsUsedWhenNoPersonalNote) {
  auto doc = presence_from_msrtc(categories(note("OOF", "Back Monday", "2024-05-01T09:31:00Z") +
                                            note("personal", "", "2024-05-01T09:30:00Z")),
                                 {});
  ASSERT_TRUE(doc);
  EXPECT_TRUE(doc->out_of_office);
  EXPECT_EQ(doc->presence.status_text, "Back Monday");
}

TEST(PresenceFromMsrtc, DocumentUriNamesTheEntityWhenTheCallerHasNone) {
  auto doc = presence_from_msrtc(categories(state(3500, "2024-05-01T09:30:00Z")), {});
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->presence.entity, addr("bob@contoso.com"));
}

TEST(PresenceFromMsrtc, MalformedDocumentsAreRefused) {
  auto bad = presence_from_msrtc("<categories", {});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error(), make_error_code(ConvertErrc::bad_body));
  EXPECT_EQ(status_for(ConvertErrc::bad_body), 400);
}

TEST(PresenceFromBody, LyncBenotifyCarriesACategoryDelta) {
  const Request benotify = test::request_from(
      "BENOTIFY sip:gw.corp.example:5061;transport=tls SIP/2.0"
      "\nVia: SIP/2.0/TLS 192.0.2.10:5061;branch=z9hG4bK50867967"
      "\nFrom: <sip:bob@contoso.com>;tag=DD35C0B2\nTo: <sip:alice@corp.example>;tag=9c4e;epid=62cc"
      "\nCall-ID: 91c6c88de3\nCSeq: 2 BENOTIFY\nEvent: presence"
      "\nSubscription-State: active;expires=28367"
      "\nContent-Type: application/msrtc-event-categories+xml\n\n" +
      categories(note("personal", "Back at 3", "2024-05-01T10:00:00Z")));
  auto doc = presence_from_body(benotify.content_type, benotify.body, addr("bob@contoso.com"));
  ASSERT_TRUE(doc) << doc.error().message();
  EXPECT_FALSE(doc->has_state);
  EXPECT_EQ(doc->presence.status_text, "Back at 3");
}

TEST(PresenceFromPidf, Rfc8048ClosedTupleIsOffline) {
  const Request notify = test::rfc_request("rfc8048/6.3-01-pres-sip.txt");
  auto doc = presence_from_body(notify.content_type, notify.body, addr("romeo@example.net"));
  ASSERT_TRUE(doc) << doc.error().message();
  EXPECT_EQ(doc->presence.availability, Availability::offline);
  ASSERT_EQ(doc->presence.endpoints.size(), 1u);
  EXPECT_EQ(doc->presence.endpoints[0].id, "ID-dr4hcr0st3lup4c");
  EXPECT_TRUE(doc->has_state);
  EXPECT_TRUE(doc->has_note);
}

TEST(PresenceFromPidf, Rfc7248OpenTupleIsAvailableAndEntityComesFromTheDocument) {
  const Request notify = test::rfc_request("rfc8048/6.2-02-pres-xmpp.txt");
  auto doc = presence_from_pidf(notify.body, {});
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->presence.entity, addr("juliet@example.com"));
  EXPECT_EQ(doc->presence.availability, Availability::available);
  const Request closed = test::rfc_request("rfc7248/5.3-01-pres-sip.txt");
  EXPECT_EQ(presence_from_pidf(closed.body, {})->presence.availability, Availability::offline);
}

TEST(PresenceFromPidf, RpidActivitiesAndPersonNoteMap) {
  const std::string body =
      "<presence xmlns='urn:ietf:params:xml:ns:pidf' xmlns:dm='urn:ietf:params:xml:ns:pidf:"
      "data-model' xmlns:rpid='urn:ietf:params:xml:ns:pidf:rpid' entity='pres:carol@example.org'>"
      "<tuple id='t1'><status><basic>open</basic></status>"
      "<timestamp>2024-05-01T09:30:00Z</timestamp></tuple>"
      "<dm:person id='p1'><rpid:activities><rpid:on-the-phone/></rpid:activities>"
      "<dm:note>Call me later</dm:note></dm:person></presence>";
  auto doc = presence_from_pidf(body, addr("carol@example.org"));
  ASSERT_TRUE(doc) << doc.error().message();
  EXPECT_EQ(doc->presence.availability, Availability::busy);
  EXPECT_EQ(doc->activity_token, "on-the-phone");
  EXPECT_EQ(doc->presence.status_text, "Call me later");
  EXPECT_EQ(doc->presence.endpoints[0].status_text, "Call me later");
  EXPECT_EQ(doc->publish_time, "2024-05-01T09:30:00Z");
}

TEST(PresenceFromLegacyMsrtc, MsSipBenotifyExampleIsAvailableWithTheDeviceNote) {
  const std::string body = test::ms_sip_multipart("ms-sip/4.4-01-benotify.txt", "<presentity");
  auto type = MediaType::parse("text/xml+msrtc.pidf").value();
  auto doc = presence_from_body(type, body, {});
  ASSERT_TRUE(doc) << doc.error().message();
  EXPECT_EQ(doc->presence.entity, addr("user1@server.contoso.com"));
  EXPECT_EQ(doc->presence.availability, Availability::available);  // 300 online, 400 active
  EXPECT_EQ(doc->presence.status_text, "Note: I am online");
  EXPECT_EQ(doc->presence.endpoints.at(0).id, "03640fc59f");
}

TEST(PresenceFromLegacyMsrtc, ActivityRangesOfMsSip221) {
  const std::pair<int, Availability> cases[] = {
      {100, Availability::away},      {150, Availability::away},
      {200, Availability::inactive},  {300, Availability::be_right_back},
      {450, Availability::available}, {500, Availability::busy},
      {600, Availability::busy},      {700, Availability::away},
      {800, Availability::available}};
  for (auto [activity, expected] : cases) {
    const std::string body =
        "<presentity uri=\"x@y.example\" xmlns=\"http://schemas.microsoft.com/2002/09/sip/"
        "presence\"><availability aggregate=\"300\"/><activity aggregate=\"" +
        std::to_string(activity) + "\"/></presentity>";
    EXPECT_EQ(presence_from_legacy_msrtc(body, {})->presence.availability, expected) << activity;
  }
  EXPECT_EQ(presence_from_legacy_msrtc("<presentity uri=\"x@y.example\" xmlns=\"http://schemas."
                                       "microsoft.com/2002/09/sip/presence\"/>",
                                       {})
                ->presence.availability,
            Availability::offline);
}

TEST(PresenceFromBody, UnknownAndMissingContentTypesAreRefused) {
  auto xpidf = MediaType::parse("application/xpidf+xml").value();
  EXPECT_EQ(presence_from_body(xpidf, "<presence/>", {}).error(),
            make_error_code(ConvertErrc::unsupported_media_type));
  EXPECT_EQ(presence_from_body(std::nullopt, "", {}).error(),
            make_error_code(ConvertErrc::missing_header));
  EXPECT_EQ(status_for(ConvertErrc::unsupported_media_type), 415);
}

TEST(MergePresence, NoteOnlyDeltaKeepsTheHeldState) {
  auto held = merge_presence(
      nullptr, presence_from_msrtc(categories(state(6500, "2024-05-01T09:30:00Z")), {}).value());
  ASSERT_TRUE(held);
  auto delta =
      presence_from_msrtc(categories(note("personal", "Lunch", "2024-05-01T09:35:00Z")), {})
          .value();
  auto merged = merge_presence(&*held, delta);
  ASSERT_TRUE(merged);
  EXPECT_EQ(merged->availability, Availability::busy);
  EXPECT_EQ(merged->status_text, "Lunch");
  EXPECT_EQ(merged->endpoints.at(0).lync_availability, 6500);
  EXPECT_EQ(merged->publish_time, parse_xs_date_time("2024-05-01T09:35:00Z"));
}

TEST(MergePresence, EmptyNoteClearsTheStatusText) {
  auto held = merge_presence(
      nullptr, presence_from_msrtc(categories(state(3500, "2024-05-01T09:30:00Z") +
                                              note("personal", "Lunch", "2024-05-01T09:30:00Z")),
                                   {})
                   .value());
  ASSERT_EQ(held->status_text, "Lunch");
  auto cleared = presence_from_msrtc(categories(note("personal", "", "2024-05-01T09:40:00Z")), {});
  EXPECT_EQ(merge_presence(&*held, cleared.value())->status_text, "");
}

TEST(MergePresence, OlderPublishTimeIsIgnored) {
  auto held = merge_presence(
      nullptr, presence_from_msrtc(categories(state(3500, "2024-05-01T09:30:00Z")), {}).value());
  auto stale = presence_from_msrtc(categories(state(15500, "2024-05-01T09:29:59.999Z")), {});
  EXPECT_FALSE(merge_presence(&*held, stale.value()));
  auto same = presence_from_msrtc(categories(state(15500, "2024-05-01T09:30:00Z")), {});
  EXPECT_EQ(merge_presence(&*held, same.value())->availability, Availability::away);
}

}  // namespace
}  // namespace fedgate::sip
