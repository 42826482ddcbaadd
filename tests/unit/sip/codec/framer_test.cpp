// sip::Framer over a byte stream (RFC 3261 §18.3, RFC 5626 §3.5.1) and parse_datagram.
#include "sip/codec/framer.hpp"

#include <gtest/gtest.h>

#include "sip/codec/serializer.hpp"

namespace fedgate::sip {
namespace {

const std::string kOptions =
    "OPTIONS sip:gw.example.org SIP/2.0\r\nVia: SIP/2.0/TLS 192.0.2.1;branch=z9hG4bK9\r\n"
    "From: <sip:edge@contoso.com>;tag=1\r\nTo: <sip:gw.example.org>\r\nCall-ID: o1\r\n"
    "CSeq: 1 OPTIONS\r\nContent-Length: 4\r\n\r\nbody";

TEST(Framer, CutsPipelinedMessagesFedByteByByte) {
  Framer framer;
  std::string stream = kOptions + kOptions;
  int messages = 0;
  for (char ch : stream) {
    framer.feed(std::string_view(&ch, 1));
    while (auto next = framer.pop()) {
      ASSERT_TRUE(*next) << next->error().message();
      ASSERT_TRUE(std::holds_alternative<Message>(next->value()));
      EXPECT_EQ(headers_of(std::get<Message>(next->value())).body, "body");
      ++messages;
    }
  }
  EXPECT_EQ(messages, 2);
  EXPECT_EQ(framer.buffered(), 0u);
}

TEST(Framer, ReportsDoubleCrlfPingAndSingleCrlfPong) {
  Framer framer;
  framer.feed("\r\n\r\n");
  EXPECT_EQ(framer.pop().value().value(), Frame{KeepAlivePing{}});
  framer.feed("\r\n");
  EXPECT_EQ(framer.pop().value().value(), Frame{KeepAlivePong{}});
  EXPECT_FALSE(framer.pop());
}

TEST(Framer, MissingContentLengthOnAStreamIsFatal) {
  Framer framer;
  std::string no_length = kOptions.substr(0, kOptions.find("Content-Length")) + "\r\n";
  framer.feed(no_length);
  auto next = framer.pop();
  ASSERT_TRUE(next && !*next);
  EXPECT_EQ(next->error(), make_error_code(ParseErrc::missing_content_length));
  EXPECT_TRUE(framer.failed());
  framer.feed(kOptions);
  EXPECT_FALSE(framer.pop());
}

TEST(Framer, NeverBuffersAnEndlessHeaderSection) {
  Framer framer(Limits{.max_header_bytes = 1024, .max_header_count = 64, .max_body_bytes = 1024});
  std::string junk(200, 'a');
  std::optional<result<Frame>> next;
  for (int i = 0; i < 20 && !next; ++i) {
    framer.feed(junk);
    next = framer.pop();
  }
  ASSERT_TRUE(next && !*next);
  EXPECT_EQ(next->error(), make_error_code(ParseErrc::header_too_long));
  EXPECT_LE(framer.buffered(), 1024u + 200u);
}

TEST(Framer, OversizedContentLengthFailsBeforeTheBodyArrives) {
  Framer framer(Limits{.max_header_bytes = 4096, .max_header_count = 64, .max_body_bytes = 3});
  framer.feed(kOptions.substr(0, kOptions.size() - 4));
  auto next = framer.pop();
  ASSERT_TRUE(next && !*next);
  EXPECT_EQ(next->error(), make_error_code(ParseErrc::body_too_long));
}

TEST(Framer, MalformedMessageIsReportedAndTheStreamContinues) {
  Framer framer;
  std::string bad = kOptions;
  bad.replace(bad.find("CSeq: 1 OPTIONS"), 15, "CSeq: 1 INVITE!");
  framer.feed(bad + kOptions);
  auto first = framer.pop();
  ASSERT_TRUE(first && !*first);
  EXPECT_EQ(framer.rejected_bytes(), bad);
  EXPECT_FALSE(framer.failed());
  auto second = framer.pop();
  ASSERT_TRUE(second && *second);
}

TEST(Datagram, IgnoresTrailingOctetsAndReportsKeepAlives) {
  auto m = parse_datagram(kOptions + "INVITE trailing junk");
  ASSERT_TRUE(m);
  EXPECT_EQ(headers_of(std::get<Message>(*m)).body, "body");
  EXPECT_EQ(parse_datagram("\r\n\r\n").value(), Frame{KeepAlivePing{}});
}

}  // namespace
}  // namespace fedgate::sip
