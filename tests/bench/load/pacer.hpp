// Pacer: how a measured phase sends — open loop at plan.rate (what is due by the clock goes
// out on each 1 ms tick, whatever is still in flight) or max mode (plan.window tags in flight,
// an arrival makes room) — then the drain until the Probe settles or the drain timeout ends.
// Shared by the fedgate path and the baseline; generator thread only.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <string>
#include <vector>

#include "gateway/base/clock.hpp"
#include "tests/bench/load/probe.hpp"

namespace fedgate::load {

struct LoadPlan {
  std::size_t users = 1000;  // h0..h(N-1)@home, p0..p(N-1)@partner, paired one to one
  std::string home_domain = "home.test";
  std::string partner_domain = "partner.test";
  std::string phases = "abcd";
  std::size_t count = 20000;  // sends per phase
  double rate = 0;            // per second, open loop; 0: max mode (window in flight)
  std::size_t window = 500;
  std::size_t setup_window = 200;
  Duration drain = std::chrono::seconds(10);
  Duration setup_timeout = std::chrono::seconds(120);
  Duration phase_limit = std::chrono::seconds(300);  // sending itself never runs longer
  // Rate sweep (fedgate path): each phase is run once per rate, open loop, for sweep_seconds
  // worth of sends (rate x seconds, at least 1000); empty: one run per phase as above.
  std::vector<double> rates;
  double sweep_seconds = 5;
  // Open loop: stop sending once more than rate x backlog_s units are unfinished (the node
  // fell behind; what is sent still drains). 0: never (a plain --rate run).
  double backlog_s = 0;
};

std::string phase_name(char phase);

// Polls `done` every 2 ms until it holds or `limit` passes; returns done(). By value: a
// coroutine parameter (the caller passes lambdas).
boost::asio::awaitable<bool> wait_until(boost::asio::io_context& io, std::function<bool()> done,
                                        Duration limit);

class Pacer {
 public:
  Pacer(boost::asio::io_context& io, const LoadPlan& plan) : io_(io), plan_(plan), wake_(io) {}

  // send(seq) for seq in [0, probe.count()), paced, in batches: each batch is marked sent
  // (Probe::sent) before its sends, handed to the transports by flush(), then stamped written
  // (Probe::written: the send time of the latency, and the schedule lag in open loop); then
  // the drain.
  boost::asio::awaitable<void> run(Probe& probe, std::function<void(std::size_t)> send,
                                   std::function<void()> flush = {});
  // Call after each arrival: wakes the max-mode loop when the window has room.
  void arrived(const Probe& probe);

 private:
  void batch(Probe& probe, std::size_t& next, std::size_t until,
             const std::function<void(std::size_t)>& send, const std::function<void()>& flush);

  boost::asio::io_context& io_;
  const LoadPlan& plan_;
  boost::asio::steady_timer wake_;
  bool waiting_ = false;
};

}  // namespace fedgate::load
