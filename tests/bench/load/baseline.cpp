// Baseline run: the four phases as XMPP work between comp.<home> (on Prosody) and
// comp.<partner> (on ejabberd): (a) presence partner -> home, (b) presence home -> partner,
// (c) chat home -> partner, (d) chat partner -> home; every stanza crosses the servers' s2s
// link (components are only reachable through their own server). Same tags, Probe and Pacer
// as the fedgate path.
#include "tests/bench/load/baseline.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/program_options/value_semantic.hpp>
#include <cstdio>
#include <fstream>
#include <memory>

#include "tests/bench/load/component_link.hpp"
#include "tests/bench/load/cpu_meter.hpp"
#include "tests/bench/load/report.hpp"
#include "tests/bench/load/stanzas.hpp"

// GCC 12 (-O1, ASan): Asio coroutine frame new/delete false positive (see sip_net).
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

namespace fedgate::load {

namespace asio = boost::asio;
namespace po = boost::program_options;

namespace {

std::string child_text(const xmpp::Element& e, std::string_view name) {
  const auto* c = e.child(name);
  return c != nullptr ? c->text_content() : std::string{};
}

class BaselineRun {
 public:
  BaselineRun(asio::io_context& io, const LoadPlan& plan, ComponentEndpoint home,
              ComponentEndpoint partner, CpuMeter& meter)
      : io_(io),
        meter_(meter),
        plan_(plan),
        pacer_(io, plan),
        home_(io, std::move(home), [this](xmpp::Element e) { arrived('h', e); }),
        partner_(io, std::move(partner), [this](xmpp::Element e) { arrived('p', e); }) {}

  asio::awaitable<std::vector<PhaseStats>> run();
  std::string failure;
  Anomalies anomalies;

 private:
  asio::awaitable<bool> warm_up();
  void send_one(char phase, std::size_t seq);
  void arrived(char side, const xmpp::Element& e);
  bool mapped(char phase, std::size_t seq, char side, const xmpp::Element& e) const;
  std::string user(char side, std::size_t j) const {
    std::string out(1, side);
    out += std::to_string(j);
    out += '@';
    out += side == 'h' ? home_.domain() : partner_.domain();
    return out;
  }

  asio::io_context& io_;
  CpuMeter& meter_;  // the phase's CPU split (cpu lines), as on the fedgate path
  const LoadPlan& plan_;
  Pacer pacer_;
  ComponentLink home_, partner_;
  Probe* probe_ = nullptr;
  char phase_ = 0;
  int warm_ = 0;
};

// One chat each way first: both s2s streams are up (and authenticated) before timing.
asio::awaitable<bool> BaselineRun::warm_up() {
  for (auto* link : {&home_, &partner_}) {
    auto connecting = link->connect(plan_.setup_timeout);
    auto error = co_await std::move(connecting);
    if (!error.empty()) {
      failure = error;
      co_return false;
    }
  }
  home_.send(chat_stanza(user('h', 0) + "/load", user('p', 0), "warm up"));
  partner_.send(chat_stanza(user('p', 0) + "/load", user('h', 0), "warm up"));
  auto both = [this] { return warm_ >= 2; };
  auto waiting = wait_until(io_, both, plan_.setup_timeout);
  if (!co_await std::move(waiting)) {
    failure = "the warm-up chats did not cross the s2s link";
    co_return false;
  }
  co_return true;
}

asio::awaitable<std::vector<PhaseStats>> BaselineRun::run() {
  std::vector<PhaseStats> out;
  auto warming = warm_up();
  if (!co_await std::move(warming)) {
    co_return out;
  }
  for (char phase : plan_.phases) {
    Probe probe(phase_name(phase), plan_.count);
    probe_ = &probe;
    phase_ = phase;
    meter_.start();
    auto running = pacer_.run(probe, [this, phase](std::size_t seq) { send_one(phase, seq); });
    co_await std::move(running);
    probe_ = nullptr;
    out.push_back(probe.stats(plan_.rate));
    out.back().cpu = meter_.stop();
  }
  home_.close();
  partner_.close();
  co_return out;
}

void BaselineRun::send_one(char phase, std::size_t seq) {
  const std::size_t j = seq % plan_.users;
  const std::size_t k = seq / plan_.users;
  const std::string tag = Probe::tag(phase, seq);
  if (phase == 'a') {
    auto show = expected_show_for_lync(lync_availability_for(k));
    partner_.send(presence_stanza(user('p', j) + "/load", user('h', j), "", show, tag + " note"));
  } else if (phase == 'b') {
    home_.send(presence_stanza(user('h', j) + "/load", user('p', j), "", xmpp_show_for(k),
                               tag + " presence from home"));
  } else if (phase == 'c') {
    home_.send(chat_stanza(user('h', j) + "/load", user('p', j), tag + " IM from home"));
  } else if (phase == 'd') {
    partner_.send(chat_stanza(user('p', j) + "/load", user('h', j), tag + " IM"));
  } else {
    probe_->send_failed(seq);
  }
}

bool BaselineRun::mapped(char phase, std::size_t seq, char side, const xmpp::Element& e) const {
  const std::size_t j = seq % plan_.users;
  const std::size_t k = seq / plan_.users;
  const bool to_home = phase == 'a' || phase == 'd';
  const char from_side = to_home ? 'p' : 'h';
  if (side != (to_home ? 'h' : 'p') || bare(e.attr("from")) != user(from_side, j) ||
      bare(e.attr("to")) != user(side, j)) {
    return false;
  }
  if (phase == 'a') {
    return child_text(e, "show") == expected_show_for_lync(lync_availability_for(k));
  }
  return phase != 'b' || child_text(e, "show") == xmpp_show_for(k);
}

void BaselineRun::arrived(char side, const xmpp::Element& e) {
  const std::string text = child_text(e, e.name == "message" ? "body" : "status");
  char phase = 0;
  std::size_t seq = 0;
  if (!Probe::parse_tag(text, phase, seq)) {
    if (text == "warm up" && e.attr("type") != "error") {
      ++warm_;
    } else {
      anomalies.emplace_back("baseline_" + e.name + "_" + std::string(e.attr("type")), 1);
    }
    return;
  }
  if (probe_ == nullptr || phase != phase_) {
    anomalies.emplace_back("late_arrival", 1);
    return;
  }
  probe_->arrived(seq, mapped(phase, seq, side, e));
  pacer_.arrived(*probe_);
}

}  // namespace

void add_baseline_options(po::options_description& d, BaselineSettings& s) {
  auto add = d.add_options();
  add("baseline-home", po::value(&s.home),
      "component at the home's server ADDR:PORT:DOMAIN:SECRET");
  add("baseline-partner", po::value(&s.partner), "same at the partner's server");
  add("baseline-cpu-tree", po::value(&s.cpu_tree)->composing(),
      "NAME=PID: a baseline server (with its children) in the baseline's cpu lines");
}

bool run_baseline(const BaselineSettings& settings, std::vector<PhaseStats>& out,
                  const std::string& json_file) {
  auto home = parse_component(settings.home);
  auto partner = parse_component(settings.partner);
  if (!home || !partner) {
    std::fprintf(stderr, "fedgate_load: bad --baseline-home / --baseline-partner\n");
    return false;
  }
  std::vector<CpuSource> sources;
  for (const auto& text : settings.cpu_tree) {
    CpuSource source;
    if (!parse_cpu_source(text, true, source)) {
      std::fprintf(stderr, "fedgate_load: bad --baseline-cpu-tree %s\n", text.c_str());
      return false;
    }
    sources.push_back(source);
  }
  CpuMeter meter(std::move(sources));
  asio::io_context io(1);
  BaselineRun run(io, settings.plan, *home, *partner, meter);
  bool done = false;
  asio::co_spawn(io, run.run(), [&](std::exception_ptr e, std::vector<PhaseStats> stats) {
    out = std::move(stats);
    done = true;
    if (e) {
      run.failure = "the baseline threw";
    }
  });
  while (!done) {
    io.run_one();
  }
  io.run_for(std::chrono::milliseconds(200));
  if (!run.failure.empty()) {
    std::fprintf(stderr, "fedgate_load: BASELINE SETUP FAILED: %s\n", run.failure.c_str());
  }
  print_report("baseline", out, run.anomalies);
  if (!json_file.empty()) {
    std::ofstream(json_file, std::ios::app) << report_json("baseline", out, run.anomalies) << "\n";
  }
  return run.failure.empty() && all_correct(out);
}

void print_ratios(const std::vector<PhaseStats>& fedgate, const std::vector<PhaseStats>& baseline) {
  for (const auto& f : fedgate) {
    for (const auto& b : baseline) {
      if (f.name == b.name && b.delivered_per_s > 0) {
        std::printf("ratio     %-22s fedgate/baseline delivered/s = %.2f (%.0f / %.0f)\n",
                    f.name.c_str(), f.delivered_per_s / b.delivered_per_s, f.delivered_per_s,
                    b.delivered_per_s);
      }
    }
  }
  std::fflush(stdout);
}

}  // namespace fedgate::load
