// Test helper: runs one awaitable to completion on a fresh io_context, bounded to 20 s.
#pragma once

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <chrono>
#include <stdexcept>

namespace fedgate::gateway {

template <class T>
T run_awaitable(boost::asio::io_context& io, boost::asio::awaitable<T> work) {
  auto future = boost::asio::co_spawn(io, std::move(work), boost::asio::use_future);
  io.restart();
  io.run_for(std::chrono::seconds(20));
  if (future.wait_for(std::chrono::seconds(0)) != std::future_status::ready) {
    throw std::runtime_error("awaitable did not complete within 20 s");
  }
  return future.get();
}

}  // namespace fedgate::gateway
