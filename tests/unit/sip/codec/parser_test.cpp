// parse_message: typed headers, compact forms, folding, verbatim headers, limits, bodies.
#include "sip/codec/parser.hpp"

#include <gtest/gtest.h>

#include "test_data.hpp"

namespace fedgate::sip {
namespace {

constexpr std::string_view kSubscribe =
    "SUBSCRIBE sip:bob@contoso.com SIP/2.0\r\n"
    "v: SIP/2.0/TLS 192.0.2.7:5061;branch=z9hG4bK1,SIP/2.0/TLS edge.fabrikam.com;branch=z9hG4bK0\r\n"
    "f: <sip:alice@fabrikam.com>;tag=a1;epid=e1e1e1\r\n"
    "t: <sip:bob@contoso.com>\r\n"
    "i: 7f3a@fabrikam.com\r\n"
    "CSeq: 1 SUBSCRIBE\r\n"
    "m: <sip:alice@192.0.2.7:5061;transport=tls>\r\n"
    "o: presence;id=1\r\n"
    "Accept: application/msrtc-event-categories+xml,\r\n application/pidf+xml\r\n"
    "k: ms-benotify, ms-piggyback-first-notify\r\n"
    "Require: adhoclist, categoryList\r\n"
    "Expires: 3600\r\n"
    "Max-Forwards: 70\r\n"
    "Ms-Conversation-ID: abc\r\n"
    "l: 0\r\n\r\n";

TEST(Parser, FillsTypedHeadersFromCompactForms) {
  auto r = parse_request(kSubscribe);
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->method, Method::subscribe);
  ASSERT_EQ(r->via.size(), 2u);
  EXPECT_EQ(r->via[1].host, "edge.fabrikam.com");
  EXPECT_EQ(r->from.epid(), "e1e1e1");
  EXPECT_EQ(r->call_id, "7f3a@fabrikam.com");
  EXPECT_EQ(r->cseq.sequence, 1u);
  EXPECT_EQ(r->event->package, "presence");
  EXPECT_EQ(r->event->id(), "1");
  EXPECT_EQ(r->supported, (std::vector<std::string>{"ms-benotify", "ms-piggyback-first-notify"}));
  EXPECT_EQ(r->require, (std::vector<std::string>{"adhoclist", "categoryList"}));
  EXPECT_EQ(r->expires, 3600u);
  EXPECT_EQ(r->max_forwards, 70u);
}

TEST(Parser, KeepsOtherHeadersVerbatimUnfoldedAndInOrder) {
  auto r = parse_request(kSubscribe);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->other.size(), 2u);
  EXPECT_EQ(r->other[0], (Header{"Accept", "application/msrtc-event-categories+xml, application/pidf+xml"}));
  EXPECT_EQ(r->other[1], (Header{"Ms-Conversation-ID", "abc"}));
  EXPECT_EQ(find_header(r->other, "ms-conversation-id")->value, "abc");
}

// Verbatim headers wait as views and are copied in batches: order holds across a full batch,
// a folded line in the middle, compact forms and Date.
TEST(Parser, ManyVerbatimHeadersKeepTheirOrderAroundFoldedOnes) {
  std::string bytes = "OPTIONS sip:b@c SIP/2.0\r\nVia: SIP/2.0/TLS h;branch=z9hG4bK1\r\n"
                      "From: <sip:a@b>;tag=1\r\nTo: <sip:c@d>\r\nCall-ID: x\r\nCSeq: 1 OPTIONS\r\n";
  std::vector<Header> expected;
  for (int i = 0; i < 40; ++i) {
    std::string name = "X-H" + std::to_string(i);
    bool folded = i == 20;
    bytes += name + ": v" + std::to_string(i) + (folded ? "\r\n  more" : "") + "\r\n";
    expected.push_back(Header{name, "v" + std::to_string(i) + (folded ? " more" : "")});
    if (i == 30) {
      bytes += "s: subject\r\nDate: Sat, 13 Nov 2010 23:29:00 GMT\r\n";
      expected.push_back(Header{"Subject", "subject"});
      expected.push_back(Header{"Date", "Sat, 13 Nov 2010 23:29:00 GMT"});
    }
  }
  auto r = parse_request(bytes + "Content-Length: 0\r\n\r\n");
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->other, expected);
}

TEST(Parser, ResponseWithSubscriptionStateAndBody) {
  std::string bytes =
      "SIP/2.0 200 OK\r\nVia: SIP/2.0/TLS h;branch=z9hG4bK1\r\nFrom: <sip:a@b>;tag=1\r\n"
      "To: <sip:c@d>;tag=2\r\nCall-ID: x\r\nCSeq: 2 NOTIFY\r\n"
      "Subscription-State: Active;expires=600\r\nContent-Type: Application/PIDF+XML\r\n"
      "Content-Length: 5\r\n\r\nhello";
  auto r = parse_response(bytes);
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->subscription_state->state, "active");
  EXPECT_EQ(r->subscription_state->expires(), 600u);
  EXPECT_TRUE(r->content_type->is("application/pidf+xml"));
  EXPECT_EQ(r->body, "hello");
}

TEST(Parser, EnforcesHeaderLimits) {
  Limits small{.max_header_bytes = 200, .max_header_count = 5, .max_body_bytes = 4};
  EXPECT_EQ(parse_message(kSubscribe, small).error(), make_error_code(ParseErrc::header_too_long));
  Limits few{.max_header_bytes = 4096, .max_header_count = 5, .max_body_bytes = 4};
  EXPECT_EQ(parse_message(kSubscribe, few).error(), make_error_code(ParseErrc::too_many_headers));
}

TEST(Parser, EnforcesBodyLimit) {
  std::string bytes(kSubscribe.substr(0, kSubscribe.size() - 8));
  bytes += "l: 10\r\n\r\n0123456789";
  Limits tight{.max_header_bytes = 4096, .max_header_count = 64, .max_body_bytes = 9};
  EXPECT_EQ(parse_message(bytes, tight).error(), make_error_code(ParseErrc::body_too_long));
  EXPECT_TRUE(parse_message(bytes));
}

TEST(Parser, ExtensionMethodsKeepTheirText) {
  std::string bytes(kSubscribe);
  bytes.replace(0, 9, "invite");
  bytes.replace(bytes.find("1 SUBSCRIBE"), 11, "1 invite");
  auto r = parse_request(bytes);
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->method, Method::other);  // method names are case-sensitive
  EXPECT_EQ(r->method_name(), "invite");
}

TEST(Parser, ParsesPidginSipeOcsCaptures) {
  for (const char* f : {"lync/pidgin-sipe-vectors/ocs2007r2-register-ntlm-request.sip",
                        "lync/pidgin-sipe-vectors/ocs2007r2-register-200ok-response.sip",
                        "lync/pidgin-sipe-vectors/ocs-180-ringing-ntlm.sip"}) {
    auto m = parse_message(test::read_file(f));
    EXPECT_TRUE(m) << f << ": " << (m ? "" : m.error().message());
  }
}

TEST(Parser, Microsoft180RingingKeepsRecordRouteAndGruu) {
  auto r = parse_response(test::read_file("lync/pidgin-sipe-vectors/ocs-180-ringing-ntlm.sip"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 180);
  ASSERT_FALSE(r->record_route.empty());
  ASSERT_FALSE(r->contact.empty());
  EXPECT_TRUE(r->contact[0].uri.param("gruu").has_value());
}

}  // namespace
}  // namespace fedgate::sip
