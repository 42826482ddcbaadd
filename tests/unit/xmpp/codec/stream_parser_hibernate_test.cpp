// StreamParser::hibernate(): an idle stream gives expat's parser back between stanzas, and
// the next bytes parse exactly as on the old parser (header namespaces, limits, errors).
#include <gtest/gtest.h>

#include "tests/unit/xmpp/codec/parse_helpers.hpp"
#include "xmpp/codec/namespaces.hpp"
#include "xmpp/codec/stream_parser.hpp"

namespace fedgate::xmpp {
namespace {

using test::failure_of;
using test::kHeader;
using test::parse_all;

// A parser that has read the header and one stanza, then hibernated.
StreamParser hibernated(ParserLimits limits = {}) {
  StreamParser parser(limits);
  parse_all(parser, std::string(kHeader) + "<presence from='juliet@capulet.example'/>\n");
  EXPECT_TRUE(parser.hibernate());
  return parser;
}

TEST(StreamParserHibernate, FreesExpatBetweenStanzas) {
  StreamParser parser;
  parse_all(parser, std::string(kHeader) + "<presence/>");
  const std::size_t before = StreamParser::expat_bytes_in_use();
  ASSERT_TRUE(parser.hibernate());
  EXPECT_TRUE(parser.hibernating());
  EXPECT_LT(StreamParser::expat_bytes_in_use() + 4000, before);
}

TEST(StreamParserHibernate, WokenParserKeepsTheHeaderNamespaces) {
  StreamParser parser = hibernated();
  auto events = parse_all(parser,
                          "<db:result from='capulet.example' to='montague.example'>k</db:result>"
                          "<message to='romeo@montague.example'><body>hi</body></message>");
  ASSERT_EQ(events.size(), 2u);
  const auto& result = std::get<Element>(events[0]);
  EXPECT_EQ(result.ns, kNsDialback);
  EXPECT_EQ(result.name, "result");
  EXPECT_EQ(result.text, "k");
  const auto& message = std::get<Element>(events[1]);
  EXPECT_EQ(message.ns, kNsServer);
  EXPECT_EQ(message.child("body")->text, "hi");
  EXPECT_FALSE(parser.hibernating());
}

TEST(StreamParserHibernate, StaysAwakeInsideAStanza) {
  StreamParser parser;
  parse_all(parser, std::string(kHeader) + "<message><bo");
  EXPECT_FALSE(parser.hibernate());
  auto events = parse_all(parser, "dy>x</body></message>");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(std::get<Element>(events[0]).child("body")->text, "x");
}

TEST(StreamParserHibernate, StreamCloseAndErrorsAfterWaking) {
  StreamParser closing = hibernated();
  auto closed = parse_all(closing, "</stream:stream>");
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<StreamClosed>(closed[0]));
  StreamParser refusing = hibernated();
  auto refused = parse_all(refusing, "<x:message/>");
  ASSERT_NE(failure_of(refused), nullptr);
  EXPECT_EQ(failure_of(refused)->condition, StreamErrc::bad_namespace_prefix);
}

TEST(StreamParserHibernate, StanzaLimitCountsOnlyThePeersBytes) {
  ParserLimits limits;
  limits.max_stanza_bytes = 42;
  StreamParser fits = hibernated(limits);
  auto ok = parse_all(fits, "<message><body>0123456789</body></message>");  // 42 bytes
  ASSERT_EQ(ok.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<Element>(ok[0]));
  StreamParser big = hibernated(limits);
  auto refused = parse_all(big, "<message><body>0123456789AB</body></message>");
  ASSERT_NE(failure_of(refused), nullptr);
  EXPECT_EQ(failure_of(refused)->reason, "stanza_too_large");
}

}  // namespace
}  // namespace fedgate::xmpp
