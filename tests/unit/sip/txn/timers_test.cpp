// RFC 3261 §A timer table: values on reliable and unreliable transports.
#include "sip/txn/timers.hpp"

#include <gtest/gtest.h>

#include "sip/txn/tx_state.hpp"

namespace fedgate::sip {
namespace {

TEST(Timers, BaseValuesAreTheRfcDefaults) {
  EXPECT_EQ(kT1, milliseconds(500));
  EXPECT_EQ(kT2, seconds(4));
  EXPECT_EQ(kT4, seconds(5));
  EXPECT_EQ(kTimerB, seconds(32));
  EXPECT_EQ(kTimerF, seconds(32));
  EXPECT_EQ(kTimerH, seconds(32));
}

TEST(Timers, WaitTimersAreZeroOnReliableTransports) {
  EXPECT_EQ(timer_d(true), Duration::zero());
  EXPECT_EQ(timer_d(false), seconds(32));
  EXPECT_EQ(timer_i(true), Duration::zero());
  EXPECT_EQ(timer_i(false), kT4);
  EXPECT_EQ(timer_j(true), Duration::zero());
  EXPECT_EQ(timer_j(false), 64 * kT1);
  EXPECT_EQ(timer_k(true), Duration::zero());
  EXPECT_EQ(timer_k(false), kT4);
}

TEST(Timers, BackoffDoublesUpToT2) {
  EXPECT_EQ(capped_backoff(kT1), seconds(1));
  EXPECT_EQ(capped_backoff(seconds(2)), kT2);
  EXPECT_EQ(capped_backoff(kT2), kT2);
}

TEST(Timers, EarliestAndFired) {
  const TimePoint t{seconds(10)};
  EXPECT_EQ(earliest(std::nullopt, std::nullopt), std::nullopt);
  EXPECT_EQ(earliest(t, std::nullopt), t);
  EXPECT_EQ(earliest(t + seconds(1), t), t);
  EXPECT_TRUE(fired(t, t));
  EXPECT_FALSE(fired(t, t - milliseconds(1)));
  EXPECT_FALSE(fired(std::nullopt, t));
  EXPECT_EQ(to_string(TxState::confirmed), "confirmed");
  EXPECT_EQ(to_string(TxOutcome::timeout), "timeout");
}

}  // namespace
}  // namespace fedgate::sip
