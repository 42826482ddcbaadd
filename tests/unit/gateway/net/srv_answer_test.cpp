// The SRV answer parser on hand-made DNS messages, compression pointers included.
#include "gateway/net/srv_answer.hpp"

#include <gtest/gtest.h>

#include <string>

namespace fedgate::gateway {
namespace {

// Header (1 question, `answers` answers), question "_x._tcp.a.test" SRV IN.
std::string header_and_question(int answers) {
  std::string m = {0x12, 0x34, char(0x81), char(0x80), 0, 1, 0, char(answers), 0, 0, 0, 0};
  m += std::string(
      "\x02_x\x04_tcp\x01"
      "a\x04test\x00",
      16);
  m += std::string("\x00\x21\x00\x01", 4);
  return m;
}

std::string srv_rr(std::uint32_t ttl, std::uint16_t prio, std::uint16_t port, std::string target) {
  std::string rr = "\xc0\x0c";  // owner: the question name
  rr += std::string("\x00\x21\x00\x01", 4);
  rr += {char(ttl >> 24), char(ttl >> 16), char(ttl >> 8), char(ttl)};
  std::string rdata = {char(prio >> 8), char(prio), 0, 5, char(port >> 8), char(port)};
  rdata += target;
  rr += {char(rdata.size() >> 8), char(rdata.size())};
  return rr + rdata;
}

result<std::vector<SrvTarget>> parse(const std::string& m) {
  return parse_srv_answer(reinterpret_cast<const unsigned char*>(m.data()), m.size());
}

TEST(SrvAnswer, ReadsRecordsWithTtlsAndCompressedTargets) {
  std::string m = header_and_question(2);
  m += srv_rr(300, 10, 5269, std::string("\x04xmpp\xc0\x14", 7));  // "xmpp" + "a.test"
  m += srv_rr(60, 20, 5270,
              std::string("\x01"
                          "b\x04test\x00",
                          8));
  auto answer = parse(m);
  ASSERT_TRUE(answer) << answer.error().message();
  EXPECT_EQ(*answer, (std::vector<SrvTarget>{{"xmpp.a.test", 5269, 10, 5, 300},
                                             {"b.test", 5270, 20, 5, 60}}));
}

TEST(SrvAnswer, TruncatedOrLoopingMessagesAreBadResponses) {
  std::string m = header_and_question(1) + srv_rr(300, 10, 5269, std::string("\x01x\x00", 3));
  for (std::size_t cut = 0; cut < m.size(); ++cut) {
    EXPECT_FALSE(parse(m.substr(0, cut))) << cut;
  }
  std::string loop = header_and_question(1) + srv_rr(300, 1, 1, std::string("\xc0\x00", 2));
  loop[loop.size() - 1] = char(loop.size() - 2);  // the pointer points at itself
  EXPECT_EQ(parse(loop).error(), ResolverErrc::bad_response);
}

TEST(SrvAnswer, NoSrvRecordIsNoData) {
  EXPECT_EQ(parse(header_and_question(0)).error(), ResolverErrc::no_data);
}

}  // namespace
}  // namespace fedgate::gateway
