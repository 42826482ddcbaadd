// multipart/related bodies (RFC 2046 §5.1, RFC 4662 §5.2), with the MS-SIP §4.3 NOTIFY.
#include "sip/codec/body_part.hpp"

#include <gtest/gtest.h>

#include "sip/codec/parse_error.hpp"
#include "sip/codec/rlmi.hpp"
#include "test_data.hpp"

namespace fedgate::sip {
namespace {

// MS-SIP §4.3 prints its example without the empty line that ends each part's headers and
// with LF line ends; rebuild the multipart body: CRLF, and an empty line before the first
// line that starts with '<' in each part.
std::string ms_sip_43_body(std::string_view boundary) {
  std::string text = test::read_file("lync/ms-sip-examples/4.3-02-resp-200.txt");
  std::string body;
  bool in_body = false;
  bool in_headers = false;
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t nl = text.find('\n', pos);
    std::string line = text.substr(pos, nl - pos);
    pos = nl == std::string::npos ? text.size() : nl + 1;
    bool delimiter = line.rfind("--" + std::string(boundary), 0) == 0;
    in_body = in_body || delimiter;
    if (!in_body) {
      continue;
    }
    if (in_headers && line.rfind("<", 0) == 0) {
      body += "\r\n";
    }
    in_headers = delimiter || (in_headers && line.rfind("<", 0) != 0);
    body += line + "\r\n";
  }
  return body;
}

TEST(BodyPart, SplitsTheMsSipRlmiNotifyAndReadsItsList) {
  constexpr std::string_view kBoundary = "e7904a528704417c9a90297d24081f8e";
  auto parts = parse_multipart(ms_sip_43_body(kBoundary), kBoundary);
  ASSERT_TRUE(parts) << parts.error().message();
  ASSERT_EQ(parts->size(), 3u);
  EXPECT_TRUE((*parts)[0].content_type->is("application/rlmi+xml"));
  EXPECT_EQ((*parts)[1].content_id, "user2@server.contoso.com");
  auto list = parse_rlmi((*parts)[0].body);
  ASSERT_TRUE(list) << list.error().message();
  ASSERT_EQ(list->resources.size(), 2u);
  EXPECT_EQ(list->resources[1].instances[0].cid, (*parts)[2].content_id);
}

TEST(BodyPart, WrittenBodyReadsBackEqual) {
  std::vector<BodyPart> parts{
      BodyPart{MediaType::parse("application/rlmi+xml").value(), "list", {}, "<list/>"},
      BodyPart{MediaType::parse("application/pidf+xml").value(), "bob@x", {{"Content-Transfer-Encoding", "binary"}}, "<p/>"}};
  EXPECT_EQ(parse_multipart(write_multipart(parts, "b0undary"), "b0undary").value(), parts);
}

TEST(BodyPart, RejectsAMissingClosingDelimiter) {
  EXPECT_EQ(parse_multipart("--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n", "b").error(),
            make_error_code(ParseErrc::bad_body));
}

// Found by sip_body_fuzz: part headers with an empty or non-token name, or a value holding a
// bare CR / NUL, were accepted and written back as lines that no longer read the same.
TEST(BodyPart, RejectsPartHeadersThatCannotBeWrittenBack) {
  using namespace std::string_view_literals;
  for (auto header : {": x"sv, "\tBad Name: x"sv, "X-A\0: y"sv, "X-A: y\rz"sv, "X-A: y\0"sv}) {
    std::string body = "--b\r\n" + std::string(header) + "\r\n\r\nhi\r\n--b--";
    EXPECT_EQ(parse_multipart(body, "b").error(), make_error_code(ParseErrc::bad_body)) << header;
  }
  EXPECT_TRUE(parse_multipart("--b\r\nX-A:  y\tz \r\n\r\nhi\r\n--b--", "b"));
}

}  // namespace
}  // namespace fedgate::sip
