// Presence translation, both directions, table-driven from DESIGN.md's defaults; state-map
// rows override; PIDF basic/RPID for standard peers (RFC 8048 §6); status text unchanged.
#include "presence/presence_translator.hpp"

#include <gtest/gtest.h>

namespace fedgate::presence {
namespace {

struct LyncCase {
  int number;
  const char* show;
  const char* status;  // with no user note
};

class LyncToXmpp : public testing::TestWithParam<LyncCase> {};

TEST_P(LyncToXmpp, DefaultRanges) {
  PresenceTranslator t;
  auto f = t.to_xmpp(GetParam().number, "");
  EXPECT_EQ(f.show, GetParam().show) << GetParam().number;
  EXPECT_EQ(f.status, GetParam().status) << GetParam().number;
}

INSTANTIATE_TEST_SUITE_P(
    Table, LyncToXmpp,
    testing::Values(LyncCase{3000, "", ""}, LyncCase{3500, "", ""}, LyncCase{4499, "", ""},
                    LyncCase{4500, "away", "Inactive"}, LyncCase{6500, "away", "Busy"},
                    LyncCase{8999, "away", "Busy"}, LyncCase{9500, "away", "Busy"},
                    LyncCase{12500, "away", "Be Right Back"}, LyncCase{15500, "away", ""},
                    LyncCase{17999, "away", ""}, LyncCase{18000, "unavailable", ""},
                    LyncCase{18500, "unavailable", ""}, LyncCase{100, "unavailable", ""}));

struct ShowCase {
  const char* show;
  int number;
};

class XmppToLync : public testing::TestWithParam<ShowCase> {};

TEST_P(XmppToLync, DefaultNumbersWritten) {
  PresenceTranslator t;
  EXPECT_EQ(t.to_lync(GetParam().show, "note").availability, GetParam().number);
  EXPECT_EQ(t.to_lync(GetParam().show, "note").note, "note");
}

INSTANTIATE_TEST_SUITE_P(Table, XmppToLync,
                         testing::Values(ShowCase{"", 3500}, ShowCase{"chat", 3500},
                                         ShowCase{"away", 15500}, ShowCase{"xa", 15500},
                                         ShowCase{"dnd", 6500}, ShowCase{"unavailable", 18500}));

TEST(PresenceTranslator, UserStatusTextTravelsUnchanged) {
  PresenceTranslator t;
  EXPECT_EQ(t.to_xmpp(6500, "In a meeting \xE2\x80\x94 back at 3").status,
            "In a meeting \xE2\x80\x94 back at 3");
  EXPECT_EQ(t.to_lync("away", "Gone fishing").note, "Gone fishing");
}

TEST(PresenceTranslator, StateMapRowsOverrideDefaults) {
  std::vector<StateMapRow> rows = {
      {MapDirection::sip_to_xmpp, 9000, 11999, "dnd", "Do not disturb", 0},
      {MapDirection::sip_to_xmpp, 3000, 8999, "", "", 0},
      {MapDirection::xmpp_to_sip, 0, 0, "dnd", "", 9500},
      {MapDirection::xmpp_to_sip, 0, 0, "away", "", 12500}};
  PresenceTranslator t{rows};
  EXPECT_EQ(t.to_xmpp(9500, ""), (XmppPresenceForm{"dnd", "Do not disturb"}));
  EXPECT_EQ(t.to_xmpp(6500, "").show, "");
  EXPECT_EQ(t.to_xmpp(15500, "").show, "away");  // no row: MS-PRES class fallback
  EXPECT_EQ(t.to_lync("dnd", "").availability, 9500);
  EXPECT_EQ(t.to_lync("away", "").availability, 12500);
}

TEST(PresenceTranslator, LyncClassesAndShowsAreFixedVocabulary) {
  EXPECT_EQ(PresenceTranslator::availability_from_lync(12000), Availability::be_right_back);
  EXPECT_EQ(PresenceTranslator::availability_from_lync(5000), Availability::inactive);
  EXPECT_EQ(PresenceTranslator::availability_from_show("xa"), Availability::xa);
  EXPECT_EQ(PresenceTranslator::show_for(Availability::busy), "dnd");
  EXPECT_EQ(PresenceTranslator::show_for(Availability::offline), "unavailable");
}

TEST(PresenceTranslator, PidfBasicAndRpidForStandardPeers) {
  Presence p;
  p.availability = Availability::dnd;
  p.status_text = "Writing";
  EXPECT_EQ(PresenceTranslator::to_pidf(p), (PidfPresenceForm{true, "busy", "Writing"}));
  p.availability = Availability::offline;
  EXPECT_FALSE(PresenceTranslator::to_pidf(p).open);
  EXPECT_EQ(PresenceTranslator::availability_from_pidf({true, "away", ""}), Availability::away);
  EXPECT_EQ(PresenceTranslator::availability_from_pidf({true, "", ""}), Availability::available);
  EXPECT_EQ(PresenceTranslator::availability_from_pidf({false, "busy", ""}), Availability::offline);
}

TEST(PresenceTranslator, NeutralPresenceFromLyncUsesTheRawNumber) {
  PresenceTranslator t;
  Presence p;
  p.availability = Availability::be_right_back;
  p.endpoints.push_back({"epid1", Availability::be_right_back, "", 0, 12500, std::nullopt});
  EXPECT_EQ(t.to_xmpp(p), (XmppPresenceForm{"away", "Be Right Back"}));
  p.endpoints.clear();
  EXPECT_EQ(t.to_xmpp(p), (XmppPresenceForm{"away", ""}));
}

}  // namespace
}  // namespace fedgate::presence
