#include "tests/bench/load/pacer.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

// GCC 12 (-O1, ASan): Asio coroutine frame new/delete false positive (see sip_net).
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

namespace fedgate::load {

namespace asio = boost::asio;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

std::string phase_name(char phase) {
  switch (phase) {
    case 'a':
      return "sip_to_xmpp_presence";
    case 'b':
      return "xmpp_to_sip_presence";
    case 'c':
      return "xmpp_to_sip_im";
    case 'd':
      return "sip_to_xmpp_im";
    default:
      return std::string("unknown_") + phase;
  }
}

asio::awaitable<bool> wait_until(asio::io_context& io, std::function<bool()> done, Duration limit) {
  const auto deadline = Clock::now() + limit;
  asio::steady_timer timer(io);
  while (!done() && Clock::now() < deadline) {
    timer.expires_after(std::chrono::milliseconds(2));
    auto waiting = timer.async_wait(kNoThrow);
    co_await std::move(waiting);
  }
  co_return done();
}

void Pacer::batch(Probe& probe, std::size_t& next, std::size_t until,
                  const std::function<void(std::size_t)>& send,
                  const std::function<void()>& flush) {
  const std::size_t first = next;
  for (; next < until; ++next) {
    probe.sent(next);
    send(next);
  }
  if (next > first) {
    if (flush) {
      flush();
    }
    probe.written(first, next);
  }
}

asio::awaitable<void> Pacer::run(Probe& probe, std::function<void(std::size_t)> send,
                                 std::function<void()> flush) {
  const auto start = Clock::now();
  const auto deadline = start + plan_.phase_limit;
  const std::size_t count = probe.count();
  probe.schedule(start, plan_.rate);
  std::size_t next = 0;
  while (next < count && Clock::now() < deadline) {
    if (plan_.rate > 0) {
      const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
      const auto due = std::min(count, static_cast<std::size_t>(plan_.rate * elapsed) + 1);
      batch(probe, next, due, send, flush);
      if (plan_.backlog_s > 0 &&
          static_cast<double>(probe.in_flight()) > plan_.rate * plan_.backlog_s) {
        break;  // fell behind: the rest is not sent (sent < count in the report)
      }
      wake_.expires_after(std::chrono::milliseconds(1));
    } else {
      const std::size_t room = plan_.window - std::min(plan_.window, probe.in_flight());
      batch(probe, next, std::min(count, next + room), send, flush);
      wake_.expires_after(std::chrono::milliseconds(10));
      waiting_ = true;
    }
    auto woken = wake_.async_wait(kNoThrow);
    co_await std::move(woken);
    waiting_ = false;
  }
  auto settled = [&probe] { return probe.settled(); };
  auto draining = wait_until(io_, settled, plan_.drain);
  co_await std::move(draining);
}

// Max mode refills the window in steps of window/16 (at least 1): one wake-up, and one write
// per connection, for a batch of sends instead of one per arrival.
void Pacer::arrived(const Probe& probe) {
  const std::size_t step = std::max<std::size_t>(1, plan_.window / 16);
  if (waiting_ && probe.in_flight() + step <= plan_.window) {
    waiting_ = false;
    wake_.cancel();
  }
}

}  // namespace fedgate::load
