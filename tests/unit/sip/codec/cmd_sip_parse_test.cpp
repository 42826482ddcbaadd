// `fedgate sip-parse`: JSON summary on success (exit 0), parse error on failure (exit 2).
#include "gateway/app/cmd_sip_parse.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sstream>

#include "test_data.hpp"

namespace fedgate::gateway {
namespace {

TEST(CmdSipParse, PrintsAJsonSummaryAndExitsZero) {
  std::ostringstream out, err;
  int rc = cmd_sip_parse({sip::test::data_path("torture/3.3.15-sdp01.dat")}, out, err);
  EXPECT_EQ(rc, 0);
  EXPECT_EQ(err.str(), "");
  auto j = nlohmann::json::parse(out.str());
  EXPECT_EQ(j["kind"], "request");
  EXPECT_EQ(j["method"], "INVITE");
  EXPECT_EQ(j["request_uri"], "sip:user@example.com");
  EXPECT_EQ(j["call_id"], "sdp01.ndaksdj9342dasdd");
  EXPECT_EQ(j["cseq"]["method"], "INVITE");
  EXPECT_EQ(j["body"]["type"], "application/sdp");
  EXPECT_GT(j["body"]["length"].get<int>(), 0);
  EXPECT_FALSE(j["headers"]["via"].empty());
}

TEST(CmdSipParse, PrintsTheParseErrorAndExitsTwo) {
  std::ostringstream out, err;
  int rc = cmd_sip_parse({sip::test::data_path("torture/3.1.2.16-badvers.dat")}, out, err);
  EXPECT_EQ(rc, 2);
  EXPECT_EQ(out.str(), "");
  EXPECT_NE(err.str().find("parse error: Version Not Supported"), std::string::npos);
}

TEST(CmdSipParse, UnreadableFileExitsOne) {
  std::ostringstream out, err;
  EXPECT_EQ(cmd_sip_parse({sip::test::data_path("no-such-file.sip")}, out, err), 1);
  EXPECT_NE(err.str().find("cannot read file"), std::string::npos);
}

}  // namespace
}  // namespace fedgate::gateway
