// RFC 2782 ordering, explored exhaustively: every sequence of random draws is enumerated and
// weighted by its probability (each draw uniform over [0, bound]).
#include "gateway/net/srv_order.hpp"

#include <gtest/gtest.h>

#include <map>

namespace fedgate::gateway {
namespace {

SrvTarget t(std::string host, std::uint16_t priority, std::uint16_t weight) {
  return SrvTarget{std::move(host), 5269, priority, weight, 300};
}

std::string hosts(const std::vector<SrvTarget>& ordered) {
  std::string out;
  for (const auto& x : ordered) {
    out += x.host;
  }
  return out;
}

// Probability of each resulting order ("ABC"), over every possible sequence of draws.
std::map<std::string, double> all_orders(const std::vector<SrvTarget>& targets) {
  std::map<std::string, double> out;
  std::vector<std::uint32_t> path, bounds;
  for (int runs = 0; runs < 100000; ++runs) {
    std::size_t depth = 0;
    double p = 1.0;
    bounds.resize(path.size());
    SrvRandom scripted = [&](std::uint32_t bound) {
      if (depth == path.size()) {
        path.push_back(0);
        bounds.push_back(bound);
      }
      bounds[depth] = bound;
      p /= bound + 1.0;
      return path[depth++];
    };
    out[hosts(order_srv_targets(targets, scripted))] += p;
    while (!path.empty() && path.back() == bounds.back()) {
      path.pop_back();
      bounds.pop_back();
    }
    if (path.empty()) {
      return out;
    }
    ++path.back();
  }
  ADD_FAILURE() << "enumeration did not finish";
  return out;
}

TEST(SrvOrder, LowerPriorityAlwaysComesFirst) {
  auto orders = all_orders({t("C", 20, 5), t("A", 10, 1), t("B", 10, 1)});
  for (const auto& [order, p] : orders) {
    EXPECT_EQ(order.back(), 'C') << order;
  }
  EXPECT_DOUBLE_EQ(orders["ABC"] + orders["BAC"], 1.0);
}

TEST(SrvOrder, FirstPickIsProportionalToWeightAsRfc2782Words) {
  // Running sums 10, 30 over a draw in [0, 30]: A wins 0..10 (11 draws), B 11..30 (20).
  auto orders = all_orders({t("A", 0, 10), t("B", 0, 20)});
  EXPECT_NEAR(orders["AB"], 11.0 / 31.0, 1e-12);
  EXPECT_NEAR(orders["BA"], 20.0 / 31.0, 1e-12);
}

TEST(SrvOrder, ZeroWeightTargetsArePutFirstAndWinOnlyOnZero) {
  // B (weight 0) goes first in the list: it wins the draw 0 only, then A 1..10, C 11..30.
  auto orders = all_orders({t("A", 0, 10), t("B", 0, 0), t("C", 0, 20)});
  double b_first = orders["BAC"] + orders["BCA"];
  EXPECT_NEAR(b_first, 1.0 / 31.0, 1e-12);
  EXPECT_NEAR(orders["ACB"] + orders["ABC"], 10.0 / 31.0, 1e-12);
  EXPECT_GT(orders["ACB"], orders["ABC"]);  // once A is gone, B still wins only on 0
  double total = 0;
  for (const auto& [order, p] : orders) {
    total += p;
  }
  EXPECT_NEAR(total, 1.0, 1e-12);
}

TEST(SrvOrder, AllZeroWeightsKeepTheAnswerOrderWithinAPriority) {
  auto orders = all_orders({t("A", 1, 0), t("B", 1, 0), t("C", 0, 0)});
  EXPECT_EQ(orders.size(), 1u);
  EXPECT_DOUBLE_EQ(orders["CAB"], 1.0);
}

TEST(SrvOrder, EveryTargetAppearsExactlyOnce) {
  auto orders = all_orders({t("A", 0, 1), t("B", 0, 2), t("C", 0, 3), t("D", 1, 1)});
  EXPECT_EQ(orders.size(), 6u);  // 3! orders of A, B, C, then D
  for (const auto& [order, p] : orders) {
    EXPECT_EQ(std::string(order).substr(3), "D");
    EXPECT_GT(p, 0.0);
  }
}

TEST(SrvOrder, DotTargetMeansNoService) {
  EXPECT_TRUE(order_srv_targets({t(".", 0, 0)}, default_srv_random()).empty());
  EXPECT_TRUE(srv_service_unavailable({t("", 0, 0)}));
  EXPECT_FALSE(srv_service_unavailable({t("A", 0, 0)}));
  EXPECT_TRUE(order_srv_targets({}, default_srv_random()).empty());
}

TEST(SrvOrder, DefaultRandomStaysWithinBound) {
  auto random = default_srv_random();
  for (int i = 0; i < 1000; ++i) {
    EXPECT_LE(random(3), 3u);
  }
  EXPECT_EQ(random(0), 0u);
}

TEST(NextTarget, MovesOnAndSkipsTheSameHostAndPort) {
  std::vector<SrvTarget> ordered = {t("A", 0, 0), t("A", 1, 0), t("B", 2, 0), t("C", 3, 0)};
  EXPECT_EQ(next_target(ordered, ordered[0])->host, "B");
  EXPECT_EQ(next_target(ordered, ordered[2])->host, "C");
  EXPECT_FALSE(next_target(ordered, ordered[3]));
  EXPECT_EQ(next_target(ordered, t("Z", 0, 0))->host, "A");  // unknown: start from the top
  EXPECT_FALSE(next_target({}, t("A", 0, 0)));
}

}  // namespace
}  // namespace fedgate::gateway
