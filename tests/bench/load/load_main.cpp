// fedgate_load: the end-to-end load generator (issue 6 benchmark). Plays the XMPP home server
// of the local domain and the Microsoft-dialect SIP partner server against a running fedgate,
// sets up N x N subscriptions and IM sessions, runs the timed phases and prints throughput,
// latency percentiles and losses (README.md). One process, one thread, one monotonic clock.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/program_options.hpp>
#include <fstream>
#include <iostream>

#include "gateway/base/log.hpp"
#include "tests/bench/load/baseline.hpp"
#include "tests/bench/load/report.hpp"
#include "tests/bench/load/scenario.hpp"

// GCC 12 (-O1, ASan): Asio coroutine frame new/delete false positive (see sip_net).
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

namespace po = boost::program_options;
namespace asio = boost::asio;
using namespace fedgate;
using namespace fedgate::load;

namespace {

struct Args {
  HomeSettings home;
  PartnerSettings partner;
  LoadPlan plan;
  BaselineSettings baseline;
  std::string home_listen = "127.0.0.1:5269", partner_listen = "127.0.0.1:5061";
  std::string fedgate_xmpp = "127.0.0.1:5269", fedgate_sip = "127.0.0.1:5061";
  std::string json_file, log_level = "warn", rates;
  double drain_s = 10, setup_timeout_s = 120;
  bool fedgate = true;
  std::vector<std::string> cpu, cpu_tree;  // NAME=PID
  std::vector<CpuSource> cpu_sources;
};

std::pair<std::string, std::uint16_t> host_port(const std::string& s) {
  auto colon = s.rfind(':');
  if (colon == std::string::npos) {
    throw po::error("expected ADDR:PORT, got " + s);
  }
  return {s.substr(0, colon), static_cast<std::uint16_t>(std::stoi(s.substr(colon + 1)))};
}

po::options_description describe(Args& a) {
  po::options_description d("fedgate_load options");
  auto add = d.add_options();
  add("help", "this text");
  add("home-listen", po::value(&a.home_listen), "XMPP home s2s listener (fedgate's home_host)");
  add("home-cert", po::value(&a.home.cert), "PATH of PATH.crt/.key for the home domain");
  add("partner-listen", po::value(&a.partner_listen), "SIP partner TLS listener ADDR:PORT");
  add("partner-cert", po::value(&a.partner.cert), "PATH of PATH.crt/.key for sip.<partner>");
  add("ca", po::value(&a.home.ca), "CA file that issued fedgate's certificate");
  add("fedgate-xmpp", po::value(&a.fedgate_xmpp), "fedgate's s2s listener ADDR:PORT");
  add("fedgate-sip", po::value(&a.fedgate_sip), "fedgate's SIP TLS listener ADDR:PORT");
  add("fedgate-name", po::value(&a.partner.fedgate_names)->multitoken(),
      "host names in fedgate's SIP Contact (resolved to --fedgate-sip)");
  add("home-domain", po::value(&a.plan.home_domain), "local domain (default home.test)");
  add("partner-domain", po::value(&a.plan.partner_domain), "partner (default partner.test)");
  add("users", po::value(&a.plan.users), "pairs of users (default 1000)");
  add("count", po::value(&a.plan.count), "sends per phase (default 20000)");
  add("rate", po::value(&a.plan.rate), "open loop: sends per second; 0 = max mode (default)");
  add("window", po::value(&a.plan.window), "max mode: sends in flight (default 500)");
  add("rates", po::value(&a.rates),
      "sweep: R1,R2,... run each phase open loop at each rate (fedgate path only)");
  add("sweep-seconds", po::value(&a.plan.sweep_seconds),
      "sweep: seconds of sends per rate (count = rate x seconds, at least 1000; default 5)");
  add("phases", po::value(&a.plan.phases), "phases to run, a subset of abcd (default abcd)");
  add("drain", po::value(&a.drain_s), "seconds to wait for stragglers (default 10)");
  add("setup-timeout", po::value(&a.setup_timeout_s), "seconds per setup step (default 120)");
  add("no-fedgate", po::bool_switch(), "run only the baseline");
  add("json", po::value(&a.json_file), "also append the results as JSON lines to this file");
  add("log-level", po::value(&a.log_level), "the libraries' log level (default warn)");
  add("cpu", po::value(&a.cpu)->composing(),
      "NAME=PID: report this process's CPU time per phase (repeatable)");
  add("cpu-tree", po::value(&a.cpu_tree)->composing(),
      "NAME=PID: the same for PID and all its descendants (e.g. a postmaster)");
  add_baseline_options(d, a.baseline);
  return d;
}

Args parse(int argc, char** argv) {
  Args a;
  auto d = describe(a);
  po::variables_map vm;
  po::store(po::parse_command_line(argc, argv, d), vm);
  po::notify(vm);
  if (vm.count("help")) {
    std::cout << d << std::endl;
    std::exit(0);
  }
  a.fedgate = !vm["no-fedgate"].as<bool>();
  std::tie(a.home.listen_addr, a.home.listen_port) = host_port(a.home_listen);
  std::tie(a.home.fedgate_addr, a.home.fedgate_port) = host_port(a.fedgate_xmpp);
  std::tie(a.partner.listen_addr, a.partner.listen_port) = host_port(a.partner_listen);
  std::tie(a.partner.fedgate_addr, a.partner.fedgate_port) = host_port(a.fedgate_sip);
  a.home.domain = a.partner.local_domain = a.plan.home_domain;
  a.home.remote = a.partner.domain = a.plan.partner_domain;
  a.partner.ca = a.home.ca;
  a.plan.drain = std::chrono::milliseconds(static_cast<long>(a.drain_s * 1000));
  a.plan.setup_timeout = std::chrono::milliseconds(static_cast<long>(a.setup_timeout_s * 1000));
  a.baseline.plan = a.plan;
  for (std::size_t at = 0; at < a.rates.size();) {
    auto comma = std::min(a.rates.find(',', at), a.rates.size());
    a.plan.rates.push_back(std::stod(a.rates.substr(at, comma - at)));
    at = comma + 1;
  }
  for (const auto* list : {&a.cpu, &a.cpu_tree}) {
    for (const auto& text : *list) {
      CpuSource source;
      if (!parse_cpu_source(text, list == &a.cpu_tree, source)) {
        throw po::error("expected NAME=PID, got " + text);
      }
      a.cpu_sources.push_back(source);
    }
  }
  return a;
}

void write_json(const Args& a, const std::string& line) {
  if (!a.json_file.empty()) {
    std::ofstream(a.json_file, std::ios::app) << line << "\n";
  }
}

asio::awaitable<void> await_partner_stopped(PartnerServer& partner, bool& done) {
  co_await partner.stopped();
  done = true;
}

// Ends the run without a request in flight: waits (bounded) until every SIP send has its final
// answer, stops both servers (a request still waiting then fails with 503), and runs the
// coroutines that the stop ends to completion before anything they use is destroyed.
void settle_and_stop(asio::io_context& io, Scenario& scenario, HomeServer& home,
                     PartnerServer& partner) {
  const auto bounded = [&io, &scenario, &partner](std::chrono::milliseconds limit) {
    const auto deadline = Clock::now() + limit;
    while ((scenario.sending() > 0 || partner.handling() > 0) && Clock::now() < deadline) {
      io.run_one_for(std::chrono::milliseconds(50));
    }
  };
  bounded(std::chrono::milliseconds(5000));
  home.stop();
  partner.stop();
  bool agent_done = false;  // the agent is destroyed only after its tasks ended
  asio::co_spawn(io, await_partner_stopped(partner, agent_done), asio::detached);
  bounded(std::chrono::milliseconds(5000));
  for (int i = 0; i < 200 && !agent_done; ++i) {
    io.run_one_for(std::chrono::milliseconds(50));
  }
  io.run_for(std::chrono::milliseconds(300));
  if (scenario.sending() > 0) {
    std::cerr << "fedgate_load: " << scenario.sending() << " SIP sends never finished" << std::endl;
  }
}

// The fedgate path; false when setup failed or anything was lost.
bool run_fedgate(const Args& a, std::vector<PhaseStats>& out) {
  asio::io_context io(1);
  Scenario scenario(io, a.plan);
  CpuMeter meter(a.cpu_sources);
  scenario.set_cpu_meter(&meter);
  HomeServer home(io.get_executor(), a.home, scenario);
  PartnerServer partner(io.get_executor(), a.partner, scenario, a.plan.users);
  scenario.attach(home, partner);
  partner.lean().set_events(&scenario);
  for (const auto& error : {home.start(), partner.start()}) {
    if (!error.empty()) {
      std::cerr << "fedgate_load: " << error << std::endl;
      return false;
    }
  }
  bool done = false;
  asio::co_spawn(io, scenario.run(), [&](std::exception_ptr e, std::vector<PhaseStats> stats) {
    out = std::move(stats);
    done = true;
    if (e) {
      scenario.failure = "the scenario threw";
    }
  });
  while (!done) {
    io.run_one();
  }
  settle_and_stop(io, scenario, home, partner);
  if (!scenario.failure.empty()) {
    std::cerr << "fedgate_load: SETUP FAILED: " << scenario.failure << std::endl;
  }
  print_report("fedgate", out, scenario.anomalies());
  print_sweep(out);
  write_json(a, report_json("fedgate", out, scenario.anomalies()));
  return scenario.failure.empty() && all_correct(out);
}

}  // namespace

int main(int argc, char** argv) {
  Args args;
  try {
    args = parse(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "fedgate_load: " << e.what() << std::endl;
    return 2;
  }
  init_logging({parse_log_level(args.log_level).value_or(LogLevel::warn), "fedgate-load", ""});
  bool ok = true;
  std::vector<PhaseStats> fedgate_stats, baseline_stats;
  if (args.fedgate) {
    ok = run_fedgate(args, fedgate_stats) && ok;
  }
  if (args.baseline.enabled()) {
    ok = run_baseline(args.baseline, baseline_stats, args.json_file) && ok;
    print_ratios(fedgate_stats, baseline_stats);
  }
  return ok ? 0 : 1;
}
