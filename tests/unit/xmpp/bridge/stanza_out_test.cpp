// Neutral → XMPP: the bytes a jabber:server stream writes for each neutral value.
#include "xmpp/bridge/stanza_out.hpp"

#include <gtest/gtest.h>

#include "bridge_test_support.hpp"
#include "xmpp/bridge/stanza_in.hpp"

namespace fedgate::xmpp {
namespace {

using presence::ErrorCondition;
using presence::SubscriptionAction;
using test::addr;
using test::stanza;
using test::wire;

presence::OutboundMessage outbound(std::string body) {
  presence::OutboundMessage m;
  m.from = addr("alice@home.test/desk");
  m.to = addr("bob@partner.test");
  m.content.body = std::move(body);
  return m;
}

TEST(StanzaOut, ChatMessageBytes) {
  auto m = outbound("a < b & c");
  m.content.thread = "t1";
  m.content.chat_state = presence::ChatState::active;
  EXPECT_EQ(wire(message_stanza(m, "fg-42")),
            "<message from='alice@home.test/desk' to='bob@partner.test' type='chat' id='fg-42'>"
            "<body>a &lt; b &amp; c</body><thread>t1</thread>"
            "<active xmlns='http://jabber.org/protocol/chatstates'/></message>");
}

TEST(StanzaOut, SubjectAndLanguage) {
  auto m = outbound("hi");
  m.content.subject = "Plan";
  m.content.language = "fr";
  EXPECT_EQ(wire(message_stanza(m, "")),
            "<message from='alice@home.test/desk' to='bob@partner.test' type='chat' "
            "xml:lang='fr'><subject>Plan</subject><body>hi</body></message>");
}

TEST(StanzaOut, XhtmlRoundTripsThroughTheNeutralForm) {
  auto original = stanza(
      "<message from='bob@partner.test' to='alice@home.test'><body>hi</body>"
      "<html xmlns='http://jabber.org/protocol/xhtml-im'><body xmlns='http://www.w3.org/1999/"
      "xhtml'><p>hi <em>you</em></p></body></html></message>");
  auto in = to_inbound_message(original);
  ASSERT_TRUE(in);
  presence::OutboundMessage m{0, in->id, in->from, in->to, {}, in->content};
  auto out = message_stanza(m, "");
  const Element* html = out.child("html", kNsXhtmlIm);
  ASSERT_NE(html, nullptr);
  EXPECT_EQ(*html, *original.child("html", kNsXhtmlIm));
}

TEST(StanzaOut, PresenceWithShowAndStatus) {
  EXPECT_EQ(wire(presence_stanza(addr("alice@home.test"), addr("bob@partner.test"), "away",
                                 "Be Right Back")),
            "<presence from='alice@home.test' to='bob@partner.test'><show>away</show>"
            "<status>Be Right Back</status></presence>");
  EXPECT_EQ(wire(presence_stanza(addr("alice@home.test"), addr("bob@partner.test"), "", "")),
            "<presence from='alice@home.test' to='bob@partner.test'/>");
}

TEST(StanzaOut, UnavailablePresence) {
  EXPECT_EQ(
      wire(presence_stanza(addr("alice@home.test"), addr("bob@partner.test"), "unavailable", "")),
      "<presence from='alice@home.test' to='bob@partner.test' type='unavailable'/>");
}

TEST(StanzaOut, SubscriptionRequestsAreBare) {
  presence::SubscriptionRequest r{SubscriptionAction::approve, addr("alice@home.test/desk"),
                                  addr("bob@partner.test"), "s9"};
  EXPECT_EQ(wire(subscription_stanza(r)),
            "<presence from='alice@home.test' to='bob@partner.test' type='subscribed' id='s9'/>");
  r.action = SubscriptionAction::cancel;
  r.id.clear();
  EXPECT_EQ(wire(subscription_stanza(r)),
            "<presence from='alice@home.test' to='bob@partner.test' type='unsubscribe'/>");
}

TEST(StanzaOut, RefusedSubscriptionAnswersTheRequester) {
  presence::SubscriptionRequest r{SubscriptionAction::subscribe, addr("bob@partner.test"),
                                  addr("alice@home.test"), "s1"};
  EXPECT_EQ(wire(presence_error_stanza(r, {ErrorCondition::forbidden, ""})),
            "<presence from='alice@home.test' to='bob@partner.test' type='error' id='s1'>"
            "<error type='auth'><forbidden xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"
            "</error></presence>");
}

TEST(StanzaOut, BounceIsAMessageErrorWithTheSendersId) {
  EXPECT_EQ(
      wire(message_error_stanza("m1", addr("alice@home.test/desk"), addr("ghost@nowhere.test"),
                                {ErrorCondition::remote_server_not_found, "no route"})),
      "<message from='ghost@nowhere.test' to='alice@home.test/desk' type='error' id='m1'>"
      "<error type='cancel'><remote-server-not-found "
      "xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/><text "
      "xmlns='urn:ietf:params:xml:ns:xmpp-stanzas' xml:lang='en'>no route</text></error>"
      "</message>");
}

TEST(StanzaOut, ErrorStanzaParsesBackToTheSameFailure) {
  auto e = message_error_stanza("m1", addr("alice@home.test"), addr("bob@partner.test"),
                                {ErrorCondition::service_unavailable, "later"});
  auto failure = to_stanza_failure(stanza(wire(e)));
  ASSERT_TRUE(failure);
  EXPECT_EQ(failure->error.condition, ErrorCondition::service_unavailable);
  EXPECT_EQ(failure->error.text, "later");
  EXPECT_EQ(failure->to, addr("alice@home.test"));
}

}  // namespace
}  // namespace fedgate::xmpp
