#include "tests/bench/load/cpu_meter.hpp"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fedgate::load {
namespace {

struct ProcStat {
  int pid = 0;
  int ppid = 0;
  double own_s = 0;     // utime + stime
  double reaped_s = 0;  // cutime + cstime: children that have exited and been waited for
};

double tick_s() {
  static const double tick = 1.0 / static_cast<double>(sysconf(_SC_CLK_TCK));
  return tick;
}

// /proc/PID/stat: the command may hold spaces and parentheses, so fields count from the last ')'.
bool read_stat(int pid, ProcStat& out) {
  std::ifstream file("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(file, line)) {
    return false;
  }
  auto close = line.rfind(')');
  if (close == std::string::npos || close + 2 >= line.size()) {
    return false;
  }
  std::istringstream rest(line.substr(close + 2));
  std::string state;
  long skip = 0;
  unsigned long long utime = 0, stime = 0;
  long long cutime = 0, cstime = 0;
  rest >> state >> out.ppid;
  for (int i = 0; i < 9; ++i) {  // pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt
    rest >> skip;
  }
  rest >> utime >> stime >> cutime >> cstime;
  if (!rest) {
    return false;
  }
  out.pid = pid;
  out.own_s = static_cast<double>(utime + stime) * tick_s();
  out.reaped_s = static_cast<double>(cutime + cstime) * tick_s();
  return true;
}

std::vector<ProcStat> all_processes() {
  std::vector<ProcStat> out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
    const std::string name = entry.path().filename().string();
    int pid = 0;
    auto [end, err] = std::from_chars(name.data(), name.data() + name.size(), pid);
    ProcStat s;
    if (err == std::errc{} && end == name.data() + name.size() && read_stat(pid, s)) {
      out.push_back(s);
    }
  }
  return out;
}

// `root` and its descendants: their own time plus what their exited children left them.
double tree_seconds(int root, const std::vector<ProcStat>& procs) {
  std::vector<int> members{root};
  double total = 0;
  for (std::size_t i = 0; i < members.size() && i < procs.size() + 1; ++i) {
    for (const auto& p : procs) {
      if (p.pid == members[i]) {
        total += p.own_s + p.reaped_s;
      } else if (p.ppid == members[i]) {
        members.push_back(p.pid);
      }
    }
  }
  return total;
}

// The whole machine from /proc/stat's "cpu" line: busy and idle seconds over all cores.
void machine_seconds(double& busy, double& idle) {
  std::ifstream file("/proc/stat");
  std::string cpu;
  unsigned long long user = 0, nice = 0, system = 0, idle_t = 0, iowait = 0, irq = 0, softirq = 0,
                     steal = 0;
  file >> cpu >> user >> nice >> system >> idle_t >> iowait >> irq >> softirq >> steal;
  busy = static_cast<double>(user + nice + system + irq + softirq + steal) * tick_s();
  idle = static_cast<double>(idle_t + iowait) * tick_s();
}

}  // namespace

bool parse_cpu_source(const std::string& text, bool tree, CpuSource& out) {
  auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0) {
    return false;
  }
  const char* first = text.data() + eq + 1;
  const char* last = text.data() + text.size();
  auto [end, ec] = std::from_chars(first, last, out.pid);
  if (ec != std::errc{} || end != last || out.pid <= 0) {
    return false;
  }
  out.name = text.substr(0, eq);
  out.tree = tree;
  return true;
}

CpuMeter::CpuMeter(std::vector<CpuSource> sources) : sources_(std::move(sources)) {}

CpuMeter::Sample CpuMeter::sample() const {
  Sample s;
  s.at = Clock::now();
  const bool any_tree = std::any_of(sources_.begin(), sources_.end(),
                                    [](const CpuSource& c) { return c.tree; });
  const auto procs = any_tree ? all_processes() : std::vector<ProcStat>{};
  for (const auto& source : sources_) {
    ProcStat p;
    if (source.tree) {
      s.seconds.push_back(tree_seconds(source.pid, procs));
    } else {
      s.seconds.push_back(read_stat(source.pid, p) ? p.own_s : 0);
    }
  }
  ProcStat self;
  s.seconds.push_back(read_stat(getpid(), self) ? self.own_s : 0);
  machine_seconds(s.busy, s.idle);
  return s;
}

void CpuMeter::start() { started_ = sample(); }

CpuUsage CpuMeter::stop() const {
  const Sample now = sample();
  CpuUsage u;
  u.wall_s = std::chrono::duration<double>(now.at - started_.at).count();
  u.cores = static_cast<int>(sysconf(_SC_NPROCESSORS_ONLN));
  double listed = 0;
  for (std::size_t i = 0; i < now.seconds.size(); ++i) {
    const double d = std::max(0.0, now.seconds[i] - started_.seconds[i]);
    listed += d;
    u.shares.push_back({i < sources_.size() ? sources_[i].name : "fedgate_load", d});
  }
  u.shares.push_back({"other", std::max(0.0, now.busy - started_.busy - listed)});
  u.shares.push_back({"idle", std::max(0.0, now.idle - started_.idle)});
  return u;
}

}  // namespace fedgate::load
