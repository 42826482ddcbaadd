// Switchboard::blocking: runs one synchronous presence/ port call (PgOutbox, PgSubscriptionStore,
// PgPresenceCacheStore) on the store executor (the DB pool) and resumes on the switchboard's
// strand — never blocking an I/O thread (STYLE.md B4). Private to the switchboard's sources.
#pragma once

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <optional>

#include "gateway/app/switchboard.hpp"

namespace fedgate::gateway {

template <class F>
auto Switchboard::blocking(F fn) -> boost::asio::awaitable<std::invoke_result_t<F&>> {
  using T = std::invoke_result_t<F&>;
  // GCC 12: name the work and the operation, then await in its own statement. The caller's
  // cancellation is not forwarded: a cancelled child would throw on a pool thread.
  // co_spawn needs a default-constructible result: the port's Expected travels in an optional.
  auto work = [fn = std::move(fn)]() mutable -> boost::asio::awaitable<std::optional<T>> {
    co_return std::optional<T>{fn()};
  };
  auto token = boost::asio::bind_cancellation_slot(boost::asio::cancellation_slot{},
                                                   boost::asio::use_awaitable);
  auto op = boost::asio::co_spawn(deps_.store_executor, std::move(work), token);
  std::optional<T> out = co_await std::move(op);
  co_return std::move(*out);
}

}  // namespace fedgate::gateway
