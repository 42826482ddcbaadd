// Keep-alives, pings, idle and handshake timeouts, driven by explicit time (RFC 6120 §4.6,
// §4.9.3.4; XEP-0199; XEP-0198 §4 as liveness check).
#include <gtest/gtest.h>

#include "tests/unit/xmpp/stream/stream_test_support.hpp"
#include "xmpp/stream/inbound_stream.hpp"
#include "xmpp/stream/outbound_stream.hpp"

namespace fedgate::xmpp {
namespace {

using namespace test;
using std::chrono::minutes;
using std::chrono::seconds;

class StreamTimers : public ::testing::Test {
 protected:
  StreamTimers() : config(make_config({"capulet.example"})) {}
  // A ready outbound stream (dialback), optionally with XEP-0198.
  void make_ready(bool sm) {
    out.start(kT0);
    out.on_bytes(peer_header("montague.example", "capulet.example", "D6") + "<stream:features>" +
                     std::string(kDialbackFeature) + (sm ? std::string(kSmFeatureXml) : "") +
                     "</stream:features>",
                 kT0);
    out.on_bytes("<db:result from='montague.example' to='capulet.example' type='valid'/>", kT0);
    if (sm) {
      out.on_bytes("<enabled xmlns='urn:xmpp:sm:3'/>", kT0);
    }
  }
  std::shared_ptr<StreamConfig> config;
  OutboundStream out{config, DomainPair{"capulet.example", "montague.example"}, kT0};
};

TEST_F(StreamTimers, WhitespaceKeepAliveAfterSilence) {  // RFC 6120 §4.6.1
  make_ready(false);
  EXPECT_EQ(out.on_wake(kT0 + seconds(30)).write, "");
  const auto a = out.on_wake(kT0 + seconds(60));
  EXPECT_EQ(a.write, " ");
  EXPECT_EQ(*a.wake_at, kT0 + seconds(120));
}

TEST_F(StreamTimers, HandshakeThatNeverCompletesTimesOut) {  // §4.9.3.4
  InboundStream in{config, kT0};
  in.on_bytes(peer_header("montague.example", "capulet.example"), kT0);
  const auto a = in.on_wake(kT0 + minutes(1));
  EXPECT_EQ(*a.close, (StreamClose{StreamErrc::connection_timeout, "handshake_timeout"}));
}

TEST_F(StreamTimers, XmppPingWithoutStreamManagement) {  // XEP-0199 §4.2
  make_ready(false);
  const auto a = out.on_wake(kT0 + minutes(2));
  ASSERT_TRUE(a.ping_id);
  EXPECT_NE(a.write.find("<iq from='capulet.example' to='montague.example' id='ping-1' "
                         "type='get'><ping xmlns='urn:xmpp:ping'/></iq>"),
            std::string::npos);
  out.on_pong(*a.ping_id, kT0 + minutes(2) + seconds(1));
  EXPECT_FALSE(out.on_wake(kT0 + minutes(2) + seconds(40)).close);
}

TEST_F(StreamTimers, UnansweredPingIsConnectionTimeout) {
  make_ready(false);
  out.on_wake(kT0 + minutes(2));
  const auto a = out.on_wake(kT0 + minutes(2) + seconds(30));
  EXPECT_EQ(*a.close, (StreamClose{StreamErrc::connection_timeout, "ping_timeout"}));
}

TEST_F(StreamTimers, StreamManagementRequestIsThePing) {  // XEP-0198 §4
  make_ready(true);
  EXPECT_EQ(out.on_wake(kT0 + minutes(2)).write, "<r xmlns='urn:xmpp:sm:3'/>");
  out.on_bytes("<a xmlns='urn:xmpp:sm:3' h='0'/>", kT0 + minutes(2) + seconds(1));
  EXPECT_FALSE(out.on_wake(kT0 + minutes(2) + seconds(31)).close);
}

TEST_F(StreamTimers, IdleStreamClosesGracefully) {  // RFC 6120 §4.4
  config->timeouts.ping_interval = minutes(30);
  make_ready(false);
  for (int m = 1; m < 10; ++m) {
    out.on_wake(kT0 + minutes(m));  // whitespace only
  }
  const auto a = out.on_wake(kT0 + minutes(10));
  EXPECT_EQ(a.write, "</stream:stream>");
  EXPECT_FALSE(a.close);  // waits for the peer's close tag
  EXPECT_EQ(*out.on_bytes("</stream:stream>", kT0 + minutes(10)).close,
            (StreamClose{std::nullopt, "idle"}));
}

TEST_F(StreamTimers, ClosingGivesUpAfterTheCloseTimeout) {
  make_ready(false);
  out.close(kT0);
  EXPECT_EQ(*out.on_wake(kT0 + seconds(10)).close, (StreamClose{std::nullopt, "local_close"}));
  EXPECT_EQ(out.state(), OutboundState::closed);
}

}  // namespace
}  // namespace fedgate::xmpp
