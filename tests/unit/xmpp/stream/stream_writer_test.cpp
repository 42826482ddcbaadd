#include "xmpp/stream/stream_writer.hpp"

#include <gtest/gtest.h>

namespace fedgate::xmpp {
namespace {

TEST(StreamWriter, StreamErrorMatchesRfc6120Syntax) {  // RFC 6120 §4.9.2
  EXPECT_EQ(stream_error_bytes(StreamErrc::host_unknown),
            "<stream:error><host-unknown xmlns='urn:ietf:params:xml:ns:xmpp-streams'/>"
            "</stream:error></stream:stream>");
}

TEST(StreamWriter, FeaturesListWhatIsOffered) {
  FeatureSet f;
  f.starttls = f.starttls_required = true;
  EXPECT_EQ(features_bytes(f),
            "<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/>"
            "</starttls></stream:features>");
  EXPECT_EQ(features_bytes({}), "<stream:features></stream:features>");
}

TEST(StreamWriter, DialbackElementsFollowXep0220) {
  EXPECT_EQ(db_verify_answer("montague.example", "capulet.example", "417GAF25", true),
            "<db:verify from='montague.example' to='capulet.example' id='417GAF25' "
            "type='valid'/>");
  EXPECT_EQ(
      db_error("result", "montague.example", "capulet.example", {}, StanzaErrc::item_not_found),
      "<db:result from='montague.example' to='capulet.example' type='error'><error "
      "type='cancel'><item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"
      "</error></db:result>");
}

TEST(StreamWriter, SaslAndSmElements) {
  EXPECT_EQ(sasl_auth_external("conference.example.org"),
            "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='EXTERNAL'>"
            "Y29uZmVyZW5jZS5leGFtcGxlLm9yZw==</auth>");
  EXPECT_EQ(sasl_auth_external(""),
            "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='EXTERNAL'>=</auth>");
  EXPECT_EQ(sm_answer(4294967295u), "<a xmlns='urn:xmpp:sm:3' h='4294967295'/>");
  EXPECT_EQ(ping("a.example", "b.example", "p1"),
            "<iq from='a.example' to='b.example' id='p1' type='get'>"
            "<ping xmlns='urn:xmpp:ping'/></iq>");
}

}  // namespace
}  // namespace fedgate::xmpp
