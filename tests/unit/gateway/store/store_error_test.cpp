// StoreErrc as boost::system error codes.
#include "gateway/store/store_error.hpp"

#include <gtest/gtest.h>

#include "gateway/base/result.hpp"

namespace fedgate::gateway {
namespace {

TEST(StoreError, CodesCarryTheStoreCategoryAndAMessage) {
  error_code ec = StoreErrc::constraint_violation;
  EXPECT_STREQ(ec.category().name(), "fedgate.store");
  EXPECT_EQ(ec.message(), "database constraint violated");
  EXPECT_EQ(error_code{StoreErrc::unavailable}.message(), "database unavailable");
}

TEST(StoreError, ResultComparesWithTheEnum) {
  result<int> r = make_error_code(StoreErrc::not_found);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), StoreErrc::not_found);
  EXPECT_NE(r.error(), StoreErrc::query_failed);
}

}  // namespace
}  // namespace fedgate::gateway
