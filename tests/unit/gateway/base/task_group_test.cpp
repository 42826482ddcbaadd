#include "gateway/base/task_group.hpp"

#include <gtest/gtest.h>

#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/this_coro.hpp>

namespace fedgate {
namespace {

namespace asio = boost::asio;

asio::awaitable<void> sleep_forever(int* cancelled) {
  asio::steady_timer t(co_await asio::this_coro::executor);
  t.expires_after(std::chrono::hours(1));
  boost::system::error_code ec;
  co_await t.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  if (ec == asio::error::operation_aborted) {
    ++*cancelled;
  }
}

TEST(TaskGroup, CancelReachesEveryTaskAndWaitDrains) {
  asio::io_context ioc;
  TaskGroup group(ioc.get_executor());
  int cancelled = 0;
  group.spawn("a", sleep_forever(&cancelled));
  group.spawn("b", sleep_forever(&cancelled));
  bool drained = false;
  asio::co_spawn(ioc, [&]() -> asio::awaitable<void> {
    EXPECT_EQ(group.size(), 2u);
    group.cancel();
    drained = co_await group.wait(std::chrono::seconds(5));
  }, asio::detached);
  ioc.run_for(std::chrono::seconds(10));
  EXPECT_TRUE(drained);
  EXPECT_EQ(cancelled, 2);
  EXPECT_EQ(group.size(), 0u);
}

TEST(TaskGroup, ATaskThatThrowsIsRemovedAndTheLoopSurvives) {
  asio::io_context ioc;
  TaskGroup group(ioc.get_executor());
  group.spawn("thrower", []() -> asio::awaitable<void> {
    throw std::runtime_error("boom");
    co_return;
  }());
  ioc.run_for(std::chrono::seconds(5));
  EXPECT_EQ(group.size(), 0u);
}

}  // namespace
}  // namespace fedgate
