// serialize(): wire form of built and parsed messages; parse(serialize(m)) == m.
#include "sip/codec/serializer.hpp"

#include <gtest/gtest.h>

#include "sip/codec/parser.hpp"

namespace fedgate::sip {
namespace {

Request make_message_request() {
  Request r;
  r.method = Method::message;
  r.request_uri = Uri::parse("sip:bob@contoso.com").value();
  r.via.push_back(Via::parse("SIP/2.0/TLS gw.example.org:5061;branch=z9hG4bKabc").value());
  r.from = NameAddr::parse("\"Alice\" <sip:alice@example.org>;tag=77").value();
  r.to = NameAddr::parse("<sip:bob@contoso.com>;tag=88;epid=5a5a").value();
  r.call_id = "c1@gw.example.org";
  r.cseq = CSeq{2, Method::message, ""};
  r.max_forwards = 70;
  r.content_type = MediaType::parse("text/plain; charset=UTF-8").value();
  r.other.push_back(Header{"Ms-Conversation-ID", "f0e1"});
  r.body = std::string("hello \0 world", 13);  // bodies are bytes: NULs included
  return r;
}

TEST(Serializer, WritesStartLineHeadersAndContentLength) {
  std::string wire = serialize(make_message_request());
  EXPECT_EQ(wire.rfind("MESSAGE sip:bob@contoso.com SIP/2.0\r\nVia: SIP/2.0/TLS gw.example.org:5061;branch=z9hG4bKabc\r\n", 0), 0u);
  EXPECT_NE(wire.find("\r\nTo: <sip:bob@contoso.com>;tag=88;epid=5a5a\r\n"), std::string::npos);
  EXPECT_NE(wire.find("\r\nContent-Type: text/plain;charset=UTF-8\r\n"), std::string::npos);
  EXPECT_NE(wire.find("\r\nContent-Length: 13\r\n\r\nhello "), std::string::npos);
}

TEST(Serializer, BuiltRequestRoundTrips) {
  Request r = make_message_request();
  auto back = parse_request(serialize(r));
  ASSERT_TRUE(back) << back.error().message();
  EXPECT_EQ(*back, r);
}

TEST(Serializer, ResponseWithEmptyReasonAndStarContactRoundTrips) {
  Response r;
  r.status = 200;
  r.via.push_back(Via::parse("SIP/2.0/UDP h;branch=z9hG4bK1").value());
  r.from = NameAddr::parse("<sip:a@b>;tag=1").value();
  r.to = NameAddr::parse("<sip:a@b>;tag=2").value();
  r.call_id = "id";
  r.cseq = CSeq{5, Method::register_, ""};
  r.contact_star = true;
  std::string wire = serialize(Message{r});
  EXPECT_EQ(wire.rfind("SIP/2.0 200 \r\n", 0), 0u);
  EXPECT_NE(wire.find("\r\nContact: *\r\n"), std::string::npos);
  EXPECT_EQ(parse_response(wire).value(), r);
}

}  // namespace
}  // namespace fedgate::sip
