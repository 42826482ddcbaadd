#include "xmpp/codec/stream_parser.hpp"

#include <gtest/gtest.h>

#include "tests/unit/xmpp/codec/parse_helpers.hpp"
#include "xmpp/codec/namespaces.hpp"

namespace fedgate::xmpp {
namespace {

using test::failure_of;
using test::kHeader;
using test::parse_all;

constexpr std::string_view kMessage =  // RFC 6120 §9.2.3
    "<message from='juliet@im.example.com/balcony' id='ju2ba41c' to='romeo@example.net' "
    "type='chat' xml:lang='en'>\n    <body>Art thou not Romeo, and a Montague?</body>\n"
    "   </message>";

TEST(StreamParser, ReportsTheStreamHeaderWithItsNamespaces) {
  auto events = parse_all(kHeader);
  ASSERT_EQ(events.size(), 1u);
  const auto& h = std::get<StreamHeader>(events[0]);
  EXPECT_EQ(h.from, "capulet.example");
  EXPECT_EQ(h.to, "montague.example");
  EXPECT_EQ(h.version, "1.0");
  EXPECT_EQ(h.content_ns, "jabber:server");
  EXPECT_TRUE(h.dialback_ns);
}

TEST(StreamParser, AcceptsAHeaderWithTheStreamNamespaceAsDefault) {  // RFC 6120 §9.2.1 step 2
  auto events = parse_all(
      "<stream from='example.net' id='hTiXkW+ih9k2SqdGkk/AZi0OJ/Q=' to='im.example.com' "
      "version='1.0' xml:lang='en' xmlns='http://etherx.jabber.org/streams'>");
  ASSERT_EQ(events.size(), 1u);
  const auto& h = std::get<StreamHeader>(events[0]);
  EXPECT_EQ(h.id, "hTiXkW+ih9k2SqdGkk/AZi0OJ/Q=");
  EXPECT_EQ(h.lang, "en");
  EXPECT_FALSE(h.dialback_ns);
}

TEST(StreamParser, AssemblesAStanzaWithNamespacesAttributesAndText) {
  auto events = parse_all(std::string(kHeader) + std::string(kMessage));
  ASSERT_EQ(events.size(), 2u);
  const auto& m = std::get<Element>(events[1]);
  EXPECT_EQ(m.name, "message");
  EXPECT_EQ(m.ns, kNsServer);
  EXPECT_EQ(m.attr("id"), "ju2ba41c");
  ASSERT_EQ(m.attributes.size(), 5u);
  EXPECT_EQ(m.attributes[4], (Attribute{"lang", "en", std::string(kNsXml)}));
  ASSERT_NE(m.child("body", kNsServer), nullptr);
  EXPECT_EQ(m.child("body")->text_content(), "Art thou not Romeo, and a Montague?");
}

TEST(StreamParser, ByteAtATimeGivesTheSameEventsAsOneChunk) {
  const std::string bytes = std::string(kHeader) + std::string(kMessage) + " \n" +
                            "<db:result from='a.example' to='b.example'>k&amp;&#x41;</db:result>" +
                            "</stream:stream>";
  const auto whole = parse_all(bytes);
  ASSERT_EQ(whole.size(), 4u);
  EXPECT_TRUE(std::holds_alternative<StreamClosed>(whole[3]));
  EXPECT_EQ(std::get<Element>(whole[2]).text_content(), "k&A");
  EXPECT_EQ(parse_all(bytes, 1), whole);
  EXPECT_EQ(parse_all(bytes, 7), whole);
}

TEST(StreamParser, SerialisedStanzasParseBackEqual) {
  const auto first = parse_all(std::string(kHeader) + std::string(kMessage));
  const auto& m = std::get<Element>(first[1]);
  const std::string again = to_string(m, {kNsServer, true, true});
  const auto second = parse_all(std::string(kHeader) + again);
  ASSERT_EQ(second.size(), 2u);
  EXPECT_EQ(std::get<Element>(second[1]), m);
}

TEST(StreamParser, StopsAfterEachEventSoRestartDiscardsTheRest) {  // RFC 6120 §5.4.3.3
  StreamParser parser;
  parser.feed(std::string(kHeader) + "<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>" +
              "\x16\x03\x01\x02\x00");
  ASSERT_TRUE(parser.next());
  auto proceed = parser.next();
  ASSERT_TRUE(proceed);
  EXPECT_EQ(std::get<Element>(*proceed).name, "proceed");
  parser.restart();  // the TLS bytes never reach expat
  auto events = test::parse_all(parser, kHeader);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<StreamHeader>(events[0]));
}

TEST(StreamParser, RestartAcceptsANewHeaderWithXmlDeclaration) {
  StreamParser parser;
  auto first = test::parse_all(
      parser, std::string(kHeader) + "<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>");
  ASSERT_EQ(first.size(), 2u);
  parser.restart();
  auto second = test::parse_all(parser, kHeader);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(std::get<StreamHeader>(second[0]).to, "montague.example");
}

TEST(StreamParser, WhitespaceKeepalivesProduceNoEvents) {
  StreamParser parser;
  test::parse_all(parser, kHeader);
  EXPECT_TRUE(test::parse_all(parser, " ").empty());
  EXPECT_TRUE(test::parse_all(parser, "\n\n \t").empty());
  EXPECT_FALSE(parser.failed());
  EXPECT_EQ(parser.pending_bytes(), 0u);
}

TEST(StreamParser, ALargeReadIsParsedInChunksAndItsBufferReleased) {
  std::string many(kHeader);
  for (int i = 0; i < 200; ++i) {
    many += "<presence from='a" + std::to_string(i) + "@capulet.example' to='b@m.example'/>";
  }
  ASSERT_GT(many.size(), 10000u);
  StreamParser parser;
  const auto events = test::parse_all(parser, many);
  ASSERT_EQ(events.size(), 201u);
  EXPECT_EQ(std::get<Element>(events[200]).attr("from"), "a199@capulet.example");
  EXPECT_EQ(parser.pending_bytes(), 0u);
  EXPECT_LT(parser.retained_bytes(), 8u * 1024u);  // the 10 kB input copy was given back
}

TEST(StreamParser, IdleParserHoldsLittleMemory) {
  const std::size_t before = StreamParser::expat_bytes_in_use();
  StreamParser parser;
  test::parse_all(parser, std::string(kHeader) + std::string(kMessage));
  const std::size_t expat = StreamParser::expat_bytes_in_use() - before;
  EXPECT_GT(expat, 0u);                                     // the hooks do count
  EXPECT_LT(expat + parser.retained_bytes(), 64u * 1024u);  // bounded, see the benchmark
}

}  // namespace
}  // namespace fedgate::xmpp
