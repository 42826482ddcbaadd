// Namespaces in XML 1.0 as StreamParser resolves them itself (NamespaceScope): scoping of
// default and prefixed declarations, the reserved xml/xmlns names, QName syntax, expanded-name
// uniqueness and the bound on declarations in scope.
#include <gtest/gtest.h>

#include "tests/unit/xmpp/codec/parse_helpers.hpp"
#include "xmpp/codec/namespaces.hpp"

namespace fedgate::xmpp {
namespace {

using test::failure_of;
using test::kHeader;
using test::parse_all;

std::vector<StreamEvent> in_stream(std::string_view body, ParserLimits limits = {}) {
  return parse_all(std::string(kHeader) + std::string(body), 1 << 20, limits);
}

StreamFailure refusal(std::string_view body, ParserLimits limits = {}) {
  const auto events = in_stream(body, limits);
  const auto* f = failure_of(events);
  return f != nullptr ? *f : StreamFailure{StreamErrc::undefined_condition, "no failure"};
}

TEST(StreamParserNamespaces, PrefixedNamesResolveToTheirDeclaration) {
  const auto events = in_stream("<message xmlns:x='urn:x' x:a='1' b='2'><x:c/><d/></message>");
  ASSERT_EQ(events.size(), 2u);
  const auto& m = std::get<Element>(events[1]);
  ASSERT_EQ(m.attributes.size(), 2u);  // the declaration is not an attribute
  EXPECT_EQ(m.attributes[0], (Attribute{"a", "1", "urn:x"}));
  EXPECT_EQ(m.attributes[1], (Attribute{"b", "2", ""}));
  ASSERT_EQ(m.children.size(), 2u);
  EXPECT_EQ(m.children[0].name, "c");
  EXPECT_EQ(m.children[0].ns, "urn:x");
  EXPECT_EQ(m.children[1].ns, kNsServer);
}

TEST(StreamParserNamespaces, ADefaultDeclarationCoversItsSubtreeOnly) {
  const auto events = in_stream("<message><c xmlns='urn:c'><d/></c><e/><f xmlns=''/></message>");
  ASSERT_EQ(events.size(), 2u);
  const auto& m = std::get<Element>(events[1]);
  ASSERT_EQ(m.children.size(), 3u);
  EXPECT_EQ(m.children[0].ns, "urn:c");
  EXPECT_EQ(m.children[0].children.at(0).ns, "urn:c");
  EXPECT_EQ(m.children[1].ns, kNsServer);
  EXPECT_EQ(m.children[2].ns, "");  // xmlns='' undeclares the default namespace
}

TEST(StreamParserNamespaces, DeclarationsEndWithTheirStanza) {
  const auto events = in_stream("<message xmlns:x='urn:x'/><x:message/>");
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(std::get<Element>(events[1]).ns, kNsServer);
  EXPECT_EQ(std::get<StreamFailure>(events[2]),
            (StreamFailure{StreamErrc::bad_namespace_prefix, "unbound_prefix"}));
}

TEST(StreamParserNamespaces, HeaderDeclarationsApplyToEveryStanza) {
  const std::string header = "<stream:stream xmlns:stream='http://etherx.jabber.org/streams' " +
                             std::string("xmlns:foo='urn:foo' xmlns='jabber:server'>");
  const auto events = parse_all(header + "<foo:bar/><db:result/>");
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(std::get<Element>(events[1]).ns, "urn:foo");
  EXPECT_FALSE(std::get<StreamHeader>(events[0]).dialback_ns);
  EXPECT_EQ(std::get<StreamFailure>(events[2]).condition, StreamErrc::bad_namespace_prefix);
}

TEST(StreamParserNamespaces, UnboundPrefixesOnAttributesAndTheXmlnsPrefix) {
  EXPECT_EQ(refusal("<message y:a='1'/>").reason, "unbound_prefix");
  EXPECT_EQ(refusal("<xmlns:message/>").condition, StreamErrc::bad_namespace_prefix);
  EXPECT_EQ(refusal("<message><x:body/></message>").condition, StreamErrc::bad_namespace_prefix);
}

TEST(StreamParserNamespaces, ReservedPrefixesAndNamesAreNotWellFormed) {
  const StreamFailure reserved{StreamErrc::not_well_formed, "reserved_namespace"};
  EXPECT_EQ(refusal("<a xmlns:xml='urn:other'/>"), reserved);
  EXPECT_EQ(refusal("<a xmlns:xmlns='urn:other'/>"), reserved);
  EXPECT_EQ(refusal("<a xmlns:p='http://www.w3.org/XML/1998/namespace'/>"), reserved);
  EXPECT_EQ(refusal("<a xmlns='http://www.w3.org/XML/1998/namespace'/>"), reserved);
  EXPECT_EQ(refusal("<a xmlns:p='http://www.w3.org/2000/xmlns/'/>"), reserved);
  EXPECT_EQ(refusal("<a xmlns:p=''/>").reason, "empty_prefix_binding");
  const auto ok = in_stream("<a xmlns:xml='http://www.w3.org/XML/1998/namespace' xml:lang='en'/>");
  ASSERT_EQ(ok.size(), 2u);
  EXPECT_EQ(std::get<Element>(ok[1]).attributes.at(0),
            (Attribute{"lang", "en", std::string(kNsXml)}));
}

TEST(StreamParserNamespaces, NamesMustBeQNames) {
  const StreamFailure bad{StreamErrc::not_well_formed, "not_a_qname"};
  EXPECT_EQ(refusal("<a xmlns:p='u'><p:b:c/></a>"), bad);
  EXPECT_EQ(refusal("<a :b='1'/>"), bad);
  EXPECT_EQ(refusal("<a b:='1'/>"), bad);
  EXPECT_EQ(refusal("<a xmlns:p='u'><p:-b/></a>"), bad);
  EXPECT_EQ(refusal("<a xmlns:p='u'><p:\xC2\xB7"
                    "b/></a>"),
            bad);  // U+00B7 may continue a name, not start one
  const auto ok = in_stream("<a xmlns:p='u'><p:\xC3\xA9t\xC3\xA9/></a>");
  ASSERT_EQ(ok.size(), 2u);
  EXPECT_EQ(std::get<Element>(ok[1]).children.at(0).name, "\xC3\xA9t\xC3\xA9");
}

TEST(StreamParserNamespaces, TwoAttributesWithOneExpandedNameAreRefused) {  // §6.3
  EXPECT_EQ(refusal("<a xmlns:p='u' xmlns:q='u' p:x='1' q:x='2'/>"),
            (StreamFailure{StreamErrc::not_well_formed, "duplicate_attribute"}));
  EXPECT_EQ(failure_of(in_stream("<a xmlns:p='u' xmlns:q='v' p:x='1' q:x='2' x='3'/>")), nullptr);
}

TEST(StreamParserNamespaces, DeclarationsInScopeAreBounded) {
  ParserLimits limits;
  limits.max_namespace_declarations = 5;  // the header makes 3
  EXPECT_EQ(failure_of(in_stream("<a xmlns='urn:a' xmlns:b='urn:b'/>", limits)), nullptr);
  EXPECT_EQ(refusal("<a xmlns='urn:a'><b xmlns:b='urn:b'><c xmlns:c='urn:c'/></b></a>", limits),
            (StreamFailure{StreamErrc::policy_violation, "too_many_namespaces"}));
}

}  // namespace
}  // namespace fedgate::xmpp
