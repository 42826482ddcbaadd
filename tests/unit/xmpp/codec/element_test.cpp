#include "xmpp/codec/element.hpp"

#include <gtest/gtest.h>

#include "xmpp/codec/namespaces.hpp"

namespace fedgate::xmpp {
namespace {

TEST(Element, SerialisesWithEscapingAndOmitsTheInheritedNamespace) {
  Element msg("message", "jabber:server");
  msg.set("to", "juliet@capulet.example").set("id", "a'b\"c");
  msg.add_child(Element("body", "jabber:server")).add_text("1 < 2 & 3 > 2");
  const SerializeContext ctx{"jabber:server"};
  EXPECT_EQ(to_string(msg, ctx),
            "<message to='juliet@capulet.example' id='a&apos;b&quot;c'>"
            "<body>1 &lt; 2 &amp; 3 &gt; 2</body></message>");
}

TEST(Element, DeclaresANamespaceThatDiffersFromTheParent) {
  Element iq("iq", "jabber:server");
  iq.add_child(Element("ping", std::string(kNsPing)));
  EXPECT_EQ(to_string(iq, {"jabber:server"}), "<iq><ping xmlns='urn:xmpp:ping'/></iq>");
  EXPECT_EQ(to_string(iq), "<iq xmlns='jabber:server'><ping xmlns='urn:xmpp:ping'/></iq>");
}

TEST(Element, UsesTheStreamAndDialbackPrefixesWhenDeclared) {
  Element result("result", std::string(kNsDialback));
  result.set("from", "a.example").add_text("key");
  Element features("features", std::string(kNsStreams));
  const SerializeContext ctx{"jabber:server", true, true};
  EXPECT_EQ(to_string(result, ctx), "<db:result from='a.example'>key</db:result>");
  EXPECT_EQ(to_string(features, ctx), "<stream:features/>");
}

TEST(Element, WritesXmlLangAndPrivatePrefixesForNamespacedAttributes) {
  Element body("body", "jabber:server");
  body.attributes.push_back({"lang", "en", std::string(kNsXml)});
  body.attributes.push_back({"x", "1", "urn:example"});
  EXPECT_EQ(to_string(body, {"jabber:server"}),
            "<body xml:lang='en' xmlns:a0='urn:example' a0:x='1'/>");
}

TEST(Element, AccessorsFindAttributesChildrenAndText) {
  Element p("presence", "jabber:server");
  p.set("type", "unavailable");
  p.add_child(Element("status", "jabber:server")).add_text("gone ").add_text("home");
  EXPECT_EQ(p.attr("type"), "unavailable");
  EXPECT_FALSE(p.attribute("to").has_value());
  ASSERT_NE(p.child("status"), nullptr);
  EXPECT_EQ(p.child("status")->text_content(), "gone home");
  EXPECT_TRUE(p.child("status")->children.empty());  // a leaf's text needs no node
  EXPECT_EQ(p.child("status", "urn:other"), nullptr);
  p.erase_attribute("type");
  EXPECT_TRUE(p.attributes.empty());
}

TEST(Element, MixedContentKeepsItsOrder) {
  Element p("p", "urn:x");
  p.add_text("a").add_child(Element("b", "urn:x"));
  p.add_text("c").add_text("d");
  EXPECT_EQ(p.text, "a");
  ASSERT_EQ(p.children.size(), 2u);
  EXPECT_TRUE(p.children[1].is_text());
  EXPECT_EQ(p.text_content(), "acd");
  EXPECT_EQ(to_string(p, {"urn:x"}), "<p>a<b/>cd</p>");
}

TEST(Element, EqualityComparesTheWholeTree) {
  Element a("message", "jabber:server");
  a.add_child(Element("body", "jabber:server")).add_text("hi");
  Element b = a;
  EXPECT_EQ(a, b);
  b.children[0].text = "ho";
  EXPECT_NE(a, b);
}

}  // namespace
}  // namespace fedgate::xmpp
