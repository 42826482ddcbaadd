#include "xmpp/stream/stream_management.hpp"

#include <gtest/gtest.h>

namespace fedgate::xmpp {
namespace {

PendingStanza stanza(std::uint64_t tag) { return {Element("message", "jabber:server"), tag}; }

TEST(StreamManagement, AcknowledgementsDrainTheQueueInOrder) {  // XEP-0198 §4
  StreamManagement sm;
  sm.enable_outbound();
  for (std::uint64_t t = 1; t <= 3; ++t) {
    sm.sent(stanza(t));
  }
  EXPECT_EQ(*sm.acknowledge(2), (std::vector<std::uint64_t>{1, 2}));
  EXPECT_EQ(*sm.acknowledge(2), std::vector<std::uint64_t>{});  // repeated h: nothing new
  EXPECT_EQ(sm.unacked(), 1u);
  EXPECT_FALSE(sm.acknowledge(5));  // more than was sent
  EXPECT_EQ(sm.unacked(), 1u);
}

TEST(StreamManagement, CountsWrapAt2To32) {
  StreamManagement sm;
  sm.enable_outbound(0xFFFFFFFEu);
  for (std::uint64_t t = 1; t <= 4; ++t) {
    sm.sent(stanza(t));
  }
  EXPECT_EQ(sm.sent_count(), 2u);  // 0xFFFFFFFE + 4 mod 2^32
  EXPECT_EQ(*sm.acknowledge(1u), (std::vector<std::uint64_t>{1, 2, 3}));
  EXPECT_EQ(sm.take_unacked().front().tag, 4u);
}

TEST(StreamManagement, InboundHandledCountWraps) {
  StreamManagement sm;
  sm.count_handled();
  EXPECT_EQ(sm.handled(), 0u);  // not enabled: nothing counted
  sm.enable_inbound(0xFFFFFFFFu);
  sm.count_handled();
  sm.count_handled();
  EXPECT_EQ(sm.handled(), 1u);
}

}  // namespace
}  // namespace fedgate::xmpp
