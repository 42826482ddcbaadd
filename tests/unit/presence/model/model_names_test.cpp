// Stable names of the model's enums: they are written to logs and to the database.
#include <gtest/gtest.h>

#include "presence/model/availability.hpp"
#include "presence/model/error_condition.hpp"

namespace fedgate::presence {
namespace {

TEST(ModelNames, EveryErrorConditionRoundTrips) {
  for (int i = 0; i < kErrorConditionCount; ++i) {
    auto c = static_cast<ErrorCondition>(i);
    auto back = error_condition_from_string(to_string(c));
    ASSERT_TRUE(back.has_value()) << i;
    EXPECT_EQ(*back, c);
  }
  EXPECT_EQ(to_string(ErrorCondition::remote_server_timeout), "remote-server-timeout");
  EXPECT_FALSE(error_condition_from_string("no-such-thing").has_value());
}

TEST(ModelNames, AvailabilityNamesRoundTripAndRankOrders) {
  for (auto a : {Availability::available, Availability::chat, Availability::inactive,
                 Availability::busy, Availability::dnd, Availability::be_right_back,
                 Availability::away, Availability::xa, Availability::offline}) {
    EXPECT_EQ(availability_from_string(to_string(a)), a);
  }
  EXPECT_LT(availability_rank(Availability::available), availability_rank(Availability::busy));
  EXPECT_LT(availability_rank(Availability::away), availability_rank(Availability::offline));
}

}  // namespace
}  // namespace fedgate::presence
