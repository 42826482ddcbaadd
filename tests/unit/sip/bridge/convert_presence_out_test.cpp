// Neutral presence → msrtc categories and PIDF + RPID, read back with the inbound conversions
// (what a Lync or SIMPLE watcher would see).
#include "sip/bridge/convert_presence_out.hpp"

#include <gtest/gtest.h>

#include "sip/bridge/convert_presence_in.hpp"
#include "sip/bridge/convert_time.hpp"
#include "sip/codec/pidf.hpp"

namespace fedgate::sip {
namespace {

using presence::Availability;

presence::Address addr(std::string_view text) { return presence::Address::parse(text).value(); }

TEST(MsrtcBodyFor, LyncWatcherReadsTheNumberNoteAndPublishTime) {
  const auto published = parse_xs_date_time("2024-05-01T09:30:00.250Z").value();
  Body body = msrtc_body_for(addr("juliet@example.com/balcony"),
                             MsrtcStateForm{15500, "Out & about", "", published});
  EXPECT_TRUE(body.type.is("application/msrtc-event-categories+xml"));
  auto doc = presence_from_msrtc(body.bytes, {});
  ASSERT_TRUE(doc) << doc.error().message();
  EXPECT_EQ(doc->presence.entity, addr("juliet@example.com"));
  EXPECT_EQ(doc->presence.endpoints.at(0).lync_availability, 15500);
  EXPECT_EQ(doc->presence.status_text, "Out & about");
  EXPECT_EQ(doc->publish_time, "2024-05-01T09:30:00.250Z");
}

TEST(MsrtcBodyFor, AnEmptyNoteIsSentSoTheWatcherClearsIt) {
  Body body = msrtc_body_for(addr("juliet@example.com"), MsrtcStateForm{3500, "", "", {}});
  auto doc = presence_from_msrtc(body.bytes, {});
  ASSERT_TRUE(doc);
  EXPECT_TRUE(doc->has_note);
  EXPECT_EQ(doc->presence.status_text, "");
}

TEST(PidfBodyFor, OneTuplePerResourceWithRpidActivity) {
  presence::Presence p{addr("juliet@example.com"), Availability::dnd, "Meeting", {}, {}};
  p.endpoints.push_back({"balcony phone", Availability::dnd, "Meeting", 0, {}, {}});
  p.endpoints.push_back({"laptop", Availability::offline, "", 0, {}, {}});
  Body body = pidf_body_for(p);
  EXPECT_TRUE(body.type.is("application/pidf+xml"));
  auto raw = parse_pidf(body.bytes).value();
  EXPECT_EQ(raw.entity, "pres:juliet@example.com");
  ASSERT_EQ(raw.tuples.size(), 2u);
  EXPECT_EQ(raw.tuples[0].id, "ID-balcony_phone");
  EXPECT_EQ(raw.tuples[1].open, false);
  auto back = presence_from_pidf(body.bytes, {}).value();
  EXPECT_EQ(back.presence.availability, Availability::busy);
  EXPECT_EQ(back.presence.status_text, "Meeting");
}

TEST(PidfBodyFor, OfflineEntityWithoutEndpointsIsOneClosedTuple) {
  presence::Presence p{addr("juliet@example.com"), Availability::offline, "", {}, {}};
  auto raw = parse_pidf(pidf_body_for(p).bytes).value();
  ASSERT_EQ(raw.tuples.size(), 1u);
  EXPECT_EQ(raw.tuples[0].open, false);
  EXPECT_TRUE(raw.persons.at(0).activities.empty());
}

TEST(PidfBodyFor, AwayLikeClassesBecomeRpidAway) {
  for (auto a : {Availability::inactive, Availability::be_right_back, Availability::xa}) {
    presence::Presence p{addr("juliet@example.com"), a, "", {}, {}};
    auto back = presence_from_pidf(pidf_body_for(p).bytes, {}).value();
    EXPECT_EQ(back.presence.availability, Availability::away) << to_string(a);
  }
}

}  // namespace
}  // namespace fedgate::sip
