// make_error_response: typed responses to parsed requests and stateless 400s from raw bytes.
#include "sip/codec/error_response.hpp"

#include <gtest/gtest.h>

#include "sip/codec/parse_error.hpp"
#include "sip/codec/parser.hpp"
#include "test_data.hpp"

namespace fedgate::sip {
namespace {

TEST(ErrorResponse, CopiesDialogHeadersAndAddsToTag) {
  auto req = parse_request(test::read_file("torture/3.3.5-bext01.dat"));
  ASSERT_TRUE(req);
  Response r = make_error_response(*req, 420, "Bad Extension", "gw1");
  EXPECT_EQ(r.status, 420);
  EXPECT_EQ(r.via, req->via);
  EXPECT_EQ(r.cseq, req->cseq);
  EXPECT_EQ(r.to.tag(), "gw1");
  EXPECT_EQ(r.from, req->from);
}

TEST(ErrorResponse, Answers400WithTheReasonForAnUnparseableRequest) {
  std::string raw = test::read_file("torture/3.1.2.6-quotbal.dat");
  auto parsed = parse_message(raw);
  ASSERT_FALSE(parsed);
  auto code = static_cast<ParseErrc>(parsed.error().value());
  auto wire = make_error_response(raw, status_for(code), reason_phrase(code), "t1");
  ASSERT_TRUE(wire) << wire.error().message();
  EXPECT_EQ(wire->rfind("SIP/2.0 400 Bad Request - Malformed To\r\n", 0), 0u);
  EXPECT_NE(wire->find("\r\nTo: \"Mr. J. User <sip:j.user@example.com>;tag=t1\r\n"), std::string::npos);
  EXPECT_NE(wire->find("\r\nCSeq: 8 INVITE\r\n"), std::string::npos);
  EXPECT_TRUE(wire->ends_with("Content-Length: 0\r\n\r\n"));
}

TEST(ErrorResponse, VersionErrorMapsTo505) {
  std::string raw = test::read_file("torture/3.1.2.16-badvers.dat");
  EXPECT_EQ(status_for(static_cast<ParseErrc>(parse_message(raw).error().value())), 505);
  EXPECT_TRUE(make_error_response(raw, 505, "Version Not Supported"));
}

TEST(ErrorResponse, RefusesToAnswerResponsesOrRequestsWithoutCallId) {
  EXPECT_FALSE(make_error_response(test::read_file("torture/3.1.2.19-bigcode.dat"), 400, "x"));
  EXPECT_FALSE(make_error_response(test::read_file("torture/3.3.1-insuf.dat"), 400, "x"));
}

}  // namespace
}  // namespace fedgate::sip
