// CpuMeter: who used the machine's cores during a timed phase — CPU seconds (user + system,
// from /proc) of named processes (fedgate; its PostgreSQL with every backend; the generator
// itself), the rest of the machine, and idle. Owned by the Scenario; generator thread. Linux.
#pragma once

#include <string>
#include <vector>

#include "gateway/base/clock.hpp"

namespace fedgate::load {

struct CpuSource {
  std::string name;
  int pid = 0;
  bool tree = false;  // with every descendant (a postmaster and its backends)
};

// "NAME=PID"; false when malformed.
bool parse_cpu_source(const std::string& text, bool tree, CpuSource& out);

struct CpuShare {
  std::string name;  // a source, "fedgate_load", "other" or "idle"
  double seconds = 0;
};

struct CpuUsage {
  double wall_s = 0;
  int cores = 0;
  std::vector<CpuShare> shares;
};

class CpuMeter {
 public:
  explicit CpuMeter(std::vector<CpuSource> sources);
  void start();
  CpuUsage stop() const;  // since start()

 private:
  struct Sample {
    std::vector<double> seconds;  // per source, then the generator itself
    double busy = 0, idle = 0;    // the whole machine (/proc/stat)
    TimePoint at;
  };
  Sample sample() const;

  std::vector<CpuSource> sources_;
  Sample started_;
};

}  // namespace fedgate::load
