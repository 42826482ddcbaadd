#include "xmpp/codec/stanza.hpp"

#include <gtest/gtest.h>

#include "xmpp/codec/namespaces.hpp"

namespace fedgate::xmpp {
namespace {

TEST(Stanza, KindNeedsTheContentNamespace) {
  EXPECT_EQ(stanza_kind(Element("message", "jabber:server")), StanzaKind::message);
  EXPECT_EQ(stanza_kind(Element("presence", "jabber:client")), StanzaKind::presence);
  EXPECT_EQ(stanza_kind(Element("iq", "jabber:server")), StanzaKind::iq);
  EXPECT_EQ(stanza_kind(Element("message", "urn:other")), StanzaKind::other);
  EXPECT_EQ(stanza_kind(Element("result", std::string(kNsDialback))), StanzaKind::other);
}

TEST(Stanza, ErrorReplySwapsAddressesAndCarriesTheCondition) {  // RFC 6120 §8.3.1, §8.3.2
  Element msg("message", "jabber:server");
  msg.set("from", "romeo@example.net/orchard").set("to", "juliet@im.example.com").set("id", "x1");
  msg.add_child(Element("body", "jabber:server")).add_text("hi");
  const Element reply = make_error_reply(msg, StanzaErrc::service_unavailable);
  EXPECT_EQ(to_string(reply, {"jabber:server"}),
            "<message to='romeo@example.net/orchard' from='juliet@im.example.com' id='x1' "
            "type='error'><error type='cancel'><service-unavailable "
            "xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>");
  EXPECT_TRUE(is_error_stanza(reply));
}

TEST(Stanza, ErrorElementCarriesTextAndTheRecommendedType) {  // RFC 6120 §8.3.3.17
  const Element e =
      make_error_element(StanzaErrc::remote_server_timeout,
                         default_error_type(StanzaErrc::remote_server_timeout), "no answer");
  EXPECT_EQ(to_string(e, {"jabber:server"}),
            "<error type='wait'><remote-server-timeout "
            "xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/><text "
            "xmlns='urn:ietf:params:xml:ns:xmpp-stanzas' xml:lang='en'>no answer</text></error>");
}

TEST(Stanza, ConditionNamesFollowTheRfc) {
  EXPECT_EQ(condition_name(StanzaErrc::bad_request), "bad-request");
  EXPECT_EQ(condition_name(StanzaErrc::unexpected_request), "unexpected-request");
  EXPECT_EQ(type_name(StanzaErrorType::continue_), "continue");
  EXPECT_EQ(default_error_type(StanzaErrc::forbidden), StanzaErrorType::auth);
}

}  // namespace
}  // namespace fedgate::xmpp
