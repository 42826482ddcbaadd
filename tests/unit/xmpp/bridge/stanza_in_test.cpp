// XMPP → neutral: messages, presence, subscriptions and error stanzas from byte-exact wire text.
#include "xmpp/bridge/stanza_in.hpp"

#include <gtest/gtest.h>

#include "bridge_test_support.hpp"

namespace fedgate::xmpp {
namespace {

using presence::Availability;
using presence::ChatState;
using presence::ErrorCondition;
using presence::SubscriptionAction;
using test::addr;
using test::stanza;

TEST(StanzaIn, ChatMessageWithSubjectThreadLanguageAndChatState) {
  auto in = to_inbound_message(stanza(
      "<message from='Bob@Partner.Test/phone' to='alice@home.test' id='m1' type='chat' "
      "xml:lang='de'><subject>Plan</subject><body>hallo &amp; tsch&#252;ss</body>"
      "<thread>t-7</thread><active xmlns='http://jabber.org/protocol/chatstates'/></message>"));
  ASSERT_TRUE(in) << in.error().message();
  EXPECT_EQ(in->id, "m1");
  EXPECT_EQ(in->from, addr("bob@partner.test/phone"));
  EXPECT_EQ(in->to, addr("alice@home.test"));
  EXPECT_EQ(in->content.body, "hallo & tsch\xC3\xBCss");
  EXPECT_EQ(in->content.subject, "Plan");
  EXPECT_EQ(in->content.thread, "t-7");
  EXPECT_EQ(in->content.language, "de");
  EXPECT_EQ(in->content.chat_state, ChatState::active);
  EXPECT_TRUE(in->content.formatted_type.empty());
}

TEST(StanzaIn, ComposingNotificationHasNoBody) {
  auto in = to_inbound_message(
      stanza("<message from='bob@partner.test/x' to='alice@home.test' type='chat'>"
             "<composing xmlns='http://jabber.org/protocol/chatstates'/></message>"));
  ASSERT_TRUE(in);
  EXPECT_EQ(in->content.chat_state, ChatState::composing);
  EXPECT_TRUE(in->content.body.empty());
}

TEST(StanzaIn, XhtmlImBodyIsKeptAsSerializedXhtml) {
  auto in = to_inbound_message(stanza(
      "<message from='bob@partner.test' to='alice@home.test'><body>hi</body>"
      "<html xmlns='http://jabber.org/protocol/xhtml-im'><body xmlns='http://www.w3.org/1999/"
      "xhtml'><p><strong>hi</strong></p></body></html></message>"));
  ASSERT_TRUE(in);
  EXPECT_EQ(in->content.formatted_type, "xhtml-im");
  EXPECT_EQ(in->content.formatted_body,
            "<body xmlns='http://www.w3.org/1999/xhtml'><p><strong>hi</strong></p></body>");
}

TEST(StanzaIn, MessageWithoutUserAddressIsJidMalformed) {
  auto in = to_inbound_message(stanza("<message from='partner.test' to='alice@home.test'/>"));
  ASSERT_FALSE(in);
  EXPECT_EQ(in.error(), BridgeErrc::bad_from);
  EXPECT_EQ(wire_condition(BridgeErrc::bad_from), StanzaErrc::jid_malformed);
  auto no_to = to_inbound_message(stanza("<message from='bob@partner.test'/>"));
  ASSERT_FALSE(no_to);
  EXPECT_EQ(no_to.error(), BridgeErrc::bad_to);
}

TEST(StanzaIn, AvailablePresenceOfOneResource) {
  auto in = to_presence_input(
      stanza("<presence from='bob@partner.test/laptop' to='alice@home.test'><show>dnd</show>"
             "<status>In a meeting</status><priority>5</priority></presence>"));
  ASSERT_TRUE(in);
  auto* update = std::get_if<PresenceUpdate>(&*in);
  ASSERT_NE(update, nullptr);
  EXPECT_EQ(update->entity, addr("bob@partner.test/laptop"));
  EXPECT_EQ(update->endpoint.id, "laptop");
  EXPECT_EQ(update->endpoint.availability, Availability::dnd);
  EXPECT_EQ(update->endpoint.status_text, "In a meeting");
  EXPECT_EQ(update->endpoint.priority, 5);
}

TEST(StanzaIn, UnavailableAndPlainPresence) {
  auto gone = to_presence_input(
      stanza("<presence from='bob@partner.test/l' to='alice@home.test' type='unavailable'/>"));
  ASSERT_TRUE(gone);
  EXPECT_EQ(std::get<PresenceUpdate>(*gone).endpoint.availability, Availability::offline);
  auto here = to_presence_input(stanza("<presence from='bob@partner.test/l' to='a@home.test'/>"));
  ASSERT_TRUE(here);
  EXPECT_EQ(std::get<PresenceUpdate>(*here).endpoint.availability, Availability::available);
}

TEST(StanzaIn, EverySubscriptionTypeMapsToItsAction) {
  const std::pair<const char*, SubscriptionAction> cases[] = {
      {"subscribe", SubscriptionAction::subscribe},
      {"subscribed", SubscriptionAction::approve},
      {"unsubscribed", SubscriptionAction::deny},
      {"unsubscribe", SubscriptionAction::cancel},
      {"probe", SubscriptionAction::probe}};
  for (auto [type, action] : cases) {
    auto in = to_presence_input(stanza(std::string("<presence from='bob@partner.test/r' "
                                                   "to='alice@home.test' id='s1' type='") +
                                       type + "'/>"));
    ASSERT_TRUE(in) << type;
    auto& r = std::get<presence::SubscriptionRequest>(*in);
    EXPECT_EQ(r.action, action) << type;
    EXPECT_EQ(r.from, addr("bob@partner.test")) << "bare, RFC 6121 §3.1.1";
    EXPECT_EQ(r.id, "s1");
  }
}

TEST(StanzaIn, UnknownPresenceTypeIsRefused) {
  auto in = to_presence_input(
      stanza("<presence from='bob@partner.test' to='alice@home.test' type='bogus'/>"));
  ASSERT_FALSE(in);
  EXPECT_EQ(in.error(), BridgeErrc::bad_type);
}

TEST(StanzaIn, ErrorStanzasGiveConditionAndText) {
  auto in = to_presence_input(stanza(
      "<presence from='bob@partner.test' to='alice@home.test' type='error' id='x'>"
      "<error type='cancel'><remote-server-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"
      "<text xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'>no such server</text></error>"
      "</presence>"));
  ASSERT_TRUE(in);
  auto& failure = std::get<StanzaFailure>(*in);
  EXPECT_EQ(failure.kind, StanzaKind::presence);
  EXPECT_EQ(failure.error.condition, ErrorCondition::remote_server_not_found);
  EXPECT_EQ(failure.error.text, "no such server");
  auto m = to_stanza_failure(stanza(
      "<message from='bob@partner.test' to='alice@home.test' type='error' id='fg-9'>"
      "<error type='cancel'><service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"
      "</error></message>"));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->id, "fg-9");
  EXPECT_EQ(m->error.condition, ErrorCondition::service_unavailable);
}

TEST(StanzaIn, ErrorStanzaWithoutErrorElementIsRefused) {
  auto m = to_stanza_failure(
      stanza("<message from='bob@partner.test' to='alice@home.test' type='error'/>"));
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error(), BridgeErrc::no_error_element);
}

TEST(StanzaIn, ConditionsMapOneToOne) {
  for (int i = 1; i <= presence::kErrorConditionCount; ++i) {
    auto e = static_cast<StanzaErrc>(i);
    EXPECT_EQ(to_stanza_errc(to_condition(e)), e) << condition_name(e);
    EXPECT_EQ(presence::to_string(to_condition(e)), condition_name(e));
  }
}

}  // namespace
}  // namespace fedgate::xmpp
