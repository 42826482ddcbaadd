// parse_xml: namespaces, text, limits, and refusal of DTDs (no entity expansion).
#include "sip/codec/xml_dom.hpp"

#include <gtest/gtest.h>

#include "sip/codec/parse_error.hpp"

namespace fedgate::sip {
namespace {

TEST(XmlDom, BuildsATreeWithNamespacesAttributesAndText) {
  auto root = parse_xml("<a xmlns='urn:x' xmlns:y='urn:y' k='v'><y:b>one &amp; two</y:b><c/></a>");
  ASSERT_TRUE(root);
  EXPECT_EQ(root->ns, "urn:x");
  EXPECT_EQ(root->attribute("k"), "v");
  ASSERT_NE(root->child("urn:y", "b"), nullptr);
  EXPECT_EQ(root->child_text("b"), "one & two");
  EXPECT_EQ(root->child("urn:y", "c"), nullptr);
  EXPECT_NE(root->child("urn:x", "c"), nullptr);
}

TEST(XmlDom, RefusesDoctypeAndEntityDeclarations) {
  const char* bomb =
      "<?xml version='1.0'?><!DOCTYPE l [<!ENTITY a 'aaaaaaaa'><!ENTITY b '&a;&a;&a;'>]><l>&b;</l>";
  EXPECT_EQ(parse_xml(bomb).error(), make_error_code(ParseErrc::bad_xml));
}

TEST(XmlDom, EnforcesDepthElementAndSizeLimits) {
  std::string deep;
  for (int i = 0; i < 40; ++i) {
    deep = "<d>" + deep + "</d>";
  }
  EXPECT_EQ(parse_xml(deep).error(), make_error_code(ParseErrc::xml_too_deep));
  EXPECT_TRUE(parse_xml(deep, XmlLimits{.max_bytes = 4096, .max_depth = 40, .max_elements = 40}));
  EXPECT_FALSE(parse_xml(deep, XmlLimits{.max_bytes = 4096, .max_depth = 40, .max_elements = 39}));
  EXPECT_FALSE(parse_xml(deep, XmlLimits{.max_bytes = 100, .max_depth = 40, .max_elements = 40}));
}

TEST(XmlDom, RejectsMalformedDocuments) {
  for (const char* bad : {"", "<a>", "<a></b>", "text", "<a/><b/>"}) {
    EXPECT_FALSE(parse_xml(bad)) << bad;
  }
}

TEST(XmlDom, EscapesMarkupCharacters) {
  std::string out;
  append_xml_escaped(out, "<a href=\"x\">&'");
  EXPECT_EQ(out, "&lt;a href=&quot;x&quot;&gt;&amp;&apos;");
}

}  // namespace
}  // namespace fedgate::sip
