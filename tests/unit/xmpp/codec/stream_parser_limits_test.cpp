// Refusals: RFC 6120 §11.1 restricted XML, malformed XML, and the parser's hard limits.
#include <gtest/gtest.h>

#include "tests/unit/xmpp/codec/parse_helpers.hpp"

namespace fedgate::xmpp {
namespace {

using test::failure_of;
using test::kHeader;
using test::parse_all;

StreamFailure refusal(std::string_view bytes, ParserLimits limits = {}) {
  auto events = parse_all(bytes, 1 << 20, limits);
  const auto* f = failure_of(events);
  return f != nullptr ? *f : StreamFailure{StreamErrc::undefined_condition, "no failure"};
}

std::string in_stream(std::string_view body) { return std::string(kHeader) + std::string(body); }

TEST(StreamParserRefusals, CommentIsRestrictedXml) {  // RFC 6120 §4.9.3.18 example
  EXPECT_EQ(refusal(in_stream("<message to='juliet@im.example.com'>\n<!--<subject/>-->\n"
                              "<body>This message has no subject.</body></message>")),
            (StreamFailure{StreamErrc::restricted_xml, "comment"}));
}

TEST(StreamParserRefusals, ProcessingInstructionIsRestrictedXml) {
  EXPECT_EQ(refusal(in_stream("<?evil payload?>")).condition, StreamErrc::restricted_xml);
  EXPECT_EQ(refusal("<?xml-stylesheet href='x'?>" + in_stream("")).reason,
            "processing_instruction");
}

TEST(StreamParserRefusals, DoctypeIsRestrictedXml) {
  const auto f = refusal("<?xml version='1.0'?><!DOCTYPE stream [<!ENTITY lol 'lol'>]>" +
                         std::string(kHeader));
  EXPECT_EQ(f, (StreamFailure{StreamErrc::restricted_xml, "dtd"}));
}

TEST(StreamParserRefusals, UndefinedEntityReferenceIsRestrictedXml) {
  EXPECT_EQ(refusal(in_stream("<message><body>&lol;</body></message>")),
            (StreamFailure{StreamErrc::restricted_xml, "entity_reference"}));
}

TEST(StreamParserRefusals, BadNestingIsNotWellFormed) {
  EXPECT_EQ(refusal(in_stream("<message><body></message>")).condition, StreamErrc::not_well_formed);
}

TEST(StreamParserRefusals, TheMalformedXep0178Example24IsNotWellFormed) {
  EXPECT_EQ(refusal(in_stream("<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:"
                              "xmpp-sasl'><mechanism>EXTERNAL<mechanism></mechanisms>"
                              "</stream:features>"))
                .condition,
            StreamErrc::not_well_formed);
}

TEST(StreamParserRefusals, UnboundPrefixIsBadNamespacePrefix) {
  EXPECT_EQ(refusal(in_stream("<foo:message/>")).condition, StreamErrc::bad_namespace_prefix);
}

TEST(StreamParserRefusals, NonUtf8EncodingIsUnsupportedEncoding) {
  EXPECT_EQ(refusal("<?xml version='1.0' encoding='ISO-8859-1'?>" + std::string(kHeader.substr(21)))
                .condition,
            StreamErrc::unsupported_encoding);
  EXPECT_EQ(refusal(in_stream("<message><body>\xC3\x28</body></message>")).condition,
            StreamErrc::not_well_formed);
}

TEST(StreamParserRefusals, WrongRootIsInvalidNamespaceOrBadFormat) {
  EXPECT_EQ(refusal("<stream:stream xmlns:stream='urn:wrong'>").condition,
            StreamErrc::invalid_namespace);
  EXPECT_EQ(refusal("<html>").condition, StreamErrc::bad_format);
  // Found by the fuzzer: an empty non-stream root made expat report its end after the stop.
  EXPECT_EQ(refusal("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>").condition,
            StreamErrc::bad_format);
}

TEST(StreamParserRefusals, TextBetweenStanzasIsBadFormat) {
  EXPECT_EQ(refusal(in_stream("hello")),
            (StreamFailure{StreamErrc::bad_format, "text_at_stream_level"}));
}

TEST(StreamParserLimits, StanzaLargerThanTheLimitIsAPolicyViolation) {
  ParserLimits limits;
  limits.max_stanza_bytes = 1024;
  const std::string big = "<message><body>" + std::string(2000, 'x') + "</body></message>";
  EXPECT_EQ(refusal(in_stream(big), limits),
            (StreamFailure{StreamErrc::policy_violation, "stanza_too_large"}));
  const std::string small = "<message><body>" + std::string(900, 'x') + "</body></message>";
  EXPECT_EQ(failure_of(parse_all(in_stream(small), 1 << 20, limits)), nullptr);
}

TEST(StreamParserLimits, AnEndlessStartTagIsStoppedAtTheLimit) {
  ParserLimits limits;
  limits.max_stanza_bytes = 4096;
  StreamParser parser(limits);
  test::parse_all(parser, kHeader);
  std::vector<StreamEvent> events;
  for (int i = 0; i < 100 && events.empty(); ++i) {  // bounded: 100 x 1 KiB
    events = test::parse_all(parser, i == 0 ? "<message a='" : std::string(1024, 'y'));
  }
  ASSERT_NE(failure_of(events), nullptr);
  EXPECT_EQ(failure_of(events)->reason, "stanza_too_large");
}

TEST(StreamParserLimits, DepthAttributesAndTextAreBounded) {
  ParserLimits limits;
  limits.max_depth = 3;
  limits.max_attributes = 2;
  limits.max_text_bytes = 8;
  EXPECT_EQ(refusal(in_stream("<a><b><c><d/></c></b></a>"), limits).reason, "too_deep");
  EXPECT_EQ(failure_of(parse_all(in_stream("<a><b><c/></b></a>"), 1 << 20, limits)), nullptr);
  EXPECT_EQ(refusal(in_stream("<a x='1' y='2' z='3'/>"), limits).reason, "too_many_attributes");
  EXPECT_EQ(refusal(in_stream("<a>123456789</a>"), limits).reason, "text_too_large");
}

TEST(StreamParserRefusals, NothingIsParsedAfterAFailure) {
  StreamParser parser;
  auto events = test::parse_all(parser, in_stream("<!-- x -->"));
  ASSERT_NE(failure_of(events), nullptr);
  EXPECT_TRUE(parser.failed());
  EXPECT_TRUE(test::parse_all(parser, "<message/>").empty());
}

}  // namespace
}  // namespace fedgate::xmpp
