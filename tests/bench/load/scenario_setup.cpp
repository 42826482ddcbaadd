// Scenario, phase 1: subscriptions both ways (the home approves at once, the partner answers
// 200 active) and one IM session per pair, each step with a bounded number under way.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "gateway/base/log.hpp"
#include "sip/bridge/convert_presence_in.hpp"
#include "tests/bench/load/scenario.hpp"
#include "tests/bench/load/stanzas.hpp"

// GCC 12 (-O1, ASan): Asio coroutine frame new/delete false positive (see sip_net).
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

namespace fedgate::load {

namespace asio = boost::asio;

Scenario::Scenario(asio::io_context& io, LoadPlan plan)
    : io_(io),
      plan_(std::move(plan)),
      pacer_(io, plan_),
      notifier_(plan_.users),
      session_(plan_.users),
      partner_sees_home_(plan_.users, 0),
      home_sees_partner_(plan_.users, 0),
      session_up_(plan_.users, 0),
      home_got_im_(plan_.users, 0),
      partner_got_im_(plan_.users, 0) {
  home_address_.reserve(plan_.users);
  partner_address_.reserve(plan_.users);
  for (std::size_t j = 0; j < plan_.users; ++j) {
    home_address_.push_back(presence::Address::parse(home_user(j)).value());
    partner_address_.push_back(presence::Address::parse(partner_user(j)).value());
  }
}

void Scenario::attach(HomeServer& home, PartnerServer& partner) {
  home_ = &home;
  partner_ = &partner;
}

namespace {

// Appended piece by piece: GCC 12 warns (-Wrestrict, a false positive) on "h" + std::string.
std::string user_address(char prefix, std::size_t j, const std::string& domain) {
  std::string out(1, prefix);
  out += std::to_string(j);
  out += '@';
  out += domain;
  return out;
}

}  // namespace

std::string Scenario::home_user(std::size_t j) const {
  return user_address('h', j, plan_.home_domain);
}

std::string Scenario::partner_user(std::size_t j) const {
  return user_address('p', j, plan_.partner_domain);
}

// Starts `start(j)` for every pair with at most setup_window not yet `done`; true when all are.
asio::awaitable<bool> Scenario::setup_step(const char* name, std::function<void(std::size_t)> start,
                                           const std::vector<std::uint8_t>& done) {
  const auto began = Clock::now();
  std::size_t launched = 0;
  auto finished = [&done] {
    return static_cast<std::size_t>(std::count(done.begin(), done.end(), 1));
  };
  const auto deadline = began + plan_.setup_timeout;
  while (launched < plan_.users && Clock::now() < deadline) {
    const std::size_t ready = finished();
    while (launched < plan_.users && launched < ready + plan_.setup_window) {
      start(launched++);
    }
    auto all = [&] { return finished() == plan_.users; };
    auto progressed = [&] { return all() || finished() > ready; };
    auto waiting = wait_until(io_, progressed, std::chrono::milliseconds(200));
    co_await std::move(waiting);
  }
  auto all = [&] { return finished() == plan_.users; };
  auto waiting = wait_until(io_, all, deadline - Clock::now());
  const bool ok = co_await std::move(waiting);
  const double secs = std::chrono::duration<double>(Clock::now() - began).count();
  std::fprintf(stderr, "setup %-28s %zu/%zu in %.2f s\n", name, finished(), plan_.users, secs);
  if (!ok) {
    failure = std::string(name) + ": " + std::to_string(finished()) + " of " +
              std::to_string(plan_.users) + " within the setup timeout";
  }
  co_return ok;
}

asio::awaitable<bool> Scenario::setup() {
  auto step1 = setup_step(
      "partner subscribes to home",
      [this](std::size_t j) { asio::co_spawn(io_, partner_subscribe(j), asio::detached); },
      partner_sees_home_);
  if (!co_await std::move(step1)) {
    co_return false;
  }
  auto step2 = setup_step(
      "home subscribes to partner", [this](std::size_t j) { home_subscribe(j); },
      home_sees_partner_);
  if (!co_await std::move(step2)) {
    co_return false;
  }
  auto step3 = setup_step(
      "partner opens IM sessions",
      [this](std::size_t j) { asio::co_spawn(io_, partner_open_session(j), asio::detached); },
      home_got_im_);
  if (!co_await std::move(step3)) {
    co_return false;
  }
  auto step4 = setup_step(
      "home answers in the sessions", [this](std::size_t j) { home_first_message(j); },
      partner_got_im_);
  if (!co_await std::move(step4)) {
    co_return false;
  }
  partner_->lean().enable();  // the timed phases' SIP traffic bypasses the agent from now on
  co_return true;
}

asio::awaitable<void> Scenario::partner_subscribe(std::size_t j) {
  sip::SubscribeRequest r(presence::Address::parse(partner_user(j)).value(),
                          presence::Address::parse(home_user(j)).value());
  r.accept = {std::string(sip::kMsrtcCategoriesType), std::string(sip::kPidfType)};
  auto subscribing = partner_->agent().subscribe(std::move(r));
  auto id = co_await std::move(subscribing);
  if (!id) {
    anomaly("partner_subscribe_failed");
    co_return;
  }
  partner_->lean().add_subscription(j, *id);
}

void Scenario::home_subscribe(std::size_t j) {
  home_->send(presence_stanza(home_user(j), partner_user(j), "subscribe"));
}

asio::awaitable<void> Scenario::partner_open_session(std::size_t j) {
  auto opening = partner_->agent().open_session(presence::Address::parse(partner_user(j)).value(),
                                                presence::Address::parse(home_user(j)).value(),
                                                text_body("hello from the partner"));
  auto opened = co_await std::move(opening);
  if (opened.status < 200 || opened.status >= 300) {
    anomaly("open_session_" + std::to_string(opened.status));
    co_return;
  }
  session_[j] = opened.dialog;
  session_up_[j] = 1;
  partner_->lean().add_session(j, opened.dialog);
}

void Scenario::home_first_message(std::size_t j) {
  home_->send(chat_stanza(home_user(j) + "/load", partner_user(j), "hello from home"));
}

asio::awaitable<std::vector<PhaseStats>> Scenario::run() {
  std::vector<PhaseStats> out;
  auto setting_up = setup();
  if (!co_await std::move(setting_up)) {
    co_return out;
  }
  for (char phase : plan_.phases) {
    if (plan_.rates.empty()) {
      auto running = run_phase(phase);
      out.push_back(co_await std::move(running));
      continue;
    }
    // The sweep: open loop at each rate in turn, at most 1 s of backlog; a rate the node could
    // not keep up with ends the phase's sweep (higher rates would only pile up more).
    plan_.backlog_s = 1.0;
    for (double rate : plan_.rates) {
      plan_.rate = rate;
      plan_.count = std::max<std::size_t>(1000, static_cast<std::size_t>(rate * plan_.sweep_seconds));
      auto running = run_phase(phase);
      out.push_back(co_await std::move(running));
      out.back().name += '@';  // piece by piece: GCC 12 -Wrestrict false positive on "@" + ...
      out.back().name += std::to_string(static_cast<long>(rate));
      const auto& last = out.back();
      if (last.sent < plan_.count || last.delivered_per_s < 0.95 * rate) {
        break;
      }
    }
  }
  co_return out;
}

}  // namespace fedgate::load
