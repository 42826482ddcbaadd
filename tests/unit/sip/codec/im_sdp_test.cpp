// Session-mode IM SDP: m=message <port> sip null and accept-types (MS-SDPEXT).
#include "sip/codec/im_sdp.hpp"

#include <gtest/gtest.h>

namespace fedgate::sip {
namespace {

TEST(ImSdp, ReadsMessageMediaAndAcceptTypes) {
  auto sdp = parse_im_sdp(
      "v=0\r\no=- 0 0 IN IP4 192.0.2.10\r\ns=session\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\n"
      "m=message 5060 sip null\r\na=accept-types:text/plain text/html application/im-iscomposing+xml\r\n");
  ASSERT_TRUE(sdp) << sdp.error().message();
  EXPECT_EQ(sdp->port, 5060);
  EXPECT_EQ(sdp->connection_address, "192.0.2.10");
  EXPECT_EQ(sdp->accept_types,
            (std::vector<std::string>{"text/plain", "text/html", "application/im-iscomposing+xml"}));
}

TEST(ImSdp, WrittenSdpReadsBackEqualAndAudioOnlyFails) {
  ImSdp sdp{"198.51.100.1", "198.51.100.1", 5061, {"text/plain", "text/x-msmsgsinvite"}};
  EXPECT_EQ(parse_im_sdp(write_im_sdp(sdp)).value(), sdp);
  EXPECT_FALSE(parse_im_sdp("v=0\r\nm=audio 49170 RTP/AVP 0\r\n"));
}

}  // namespace
}  // namespace fedgate::sip
