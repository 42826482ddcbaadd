#include "xmpp/stream/dialback_key.hpp"

#include <gtest/gtest.h>

namespace fedgate::xmpp {
namespace {

TEST(DialbackKey, MatchesTheXep0185Example) {  // XEP-0185 §3
  EXPECT_EQ(dialback_key("s3cr3tf0rd14lb4ck", "xmpp.example.com", "example.org", "D60000229F"),
            "37c69b1cf07a3f67c04a5ef5902fa5114f2c76fe4a2686482ba5b89323075643");
}

TEST(DialbackKey, DependsOnEveryInput) {
  const auto k = dialback_key("s", "r.example", "o.example", "id");
  EXPECT_NE(k, dialback_key("t", "r.example", "o.example", "id"));
  EXPECT_NE(k, dialback_key("s", "o.example", "r.example", "id"));
  EXPECT_NE(k, dialback_key("s", "r.example", "o.example", "id2"));
  EXPECT_EQ(k.size(), 64u);
}

TEST(DialbackKey, MatchesOnlyTheExactKey) {
  const auto k = dialback_key("s", "r.example", "o.example", "id");
  EXPECT_TRUE(dialback_key_matches(k, "s", "r.example", "o.example", "id"));
  EXPECT_FALSE(dialback_key_matches(k.substr(1), "s", "r.example", "o.example", "id"));
  std::string wrong = k;
  wrong[10] = wrong[10] == '0' ? '1' : '0';
  EXPECT_FALSE(dialback_key_matches(wrong, "s", "r.example", "o.example", "id"));
}

}  // namespace
}  // namespace fedgate::xmpp
