#include "tests/bench/load/report.hpp"

#include <cstdio>
#include <nlohmann/json.hpp>

namespace fedgate::load {

void print_report(const std::string& label, const std::vector<PhaseStats>& phases,
                  const Anomalies& anomalies) {
  std::printf("%-9s %-22s %8s %9s %6s %6s %4s %6s %9s %9s %11s %7s %7s %7s %8s\n", "path", "phase",
              "sent", "delivered", "lost", "failed", "dup", "mismap", "offered/s", "sent/s",
              "delivered/s", "p50ms", "p90ms", "p99ms", "maxms");
  for (const auto& p : phases) {
    std::printf(
        "%-9s %-22s %8zu %9zu %6zu %6zu %4zu %6zu %9.0f %9.0f %11.0f %7.2f %7.2f %7.2f %8.2f\n",
        label.c_str(), p.name.c_str(), p.sent, p.delivered, p.lost, p.send_failed, p.duplicates,
        p.mismapped, p.offered_per_s, p.sent_per_s, p.delivered_per_s, p.p50_ms, p.p90_ms, p.p99_ms,
        p.max_ms);
    if (p.lost > 0 || p.mismapped > 0) {
      std::printf("!!! %s %s: %zu LOST, %zu MIS-MAPPED of %zu sent !!!\n", label.c_str(),
                  p.name.c_str(), p.lost, p.mismapped, p.sent);
    }
  }
  for (const auto& [name, count] : anomalies) {
    std::printf("%-9s anomaly %s x%zu\n", label.c_str(), name.c_str(), count);
  }
  std::fflush(stdout);
}

std::string report_json(const std::string& label, const std::vector<PhaseStats>& phases,
                        const Anomalies& anomalies) {
  nlohmann::json out{{"path", label}};
  for (const auto& p : phases) {
    out["phases"].push_back({{"phase", p.name},
                             {"sent", p.sent},
                             {"delivered", p.delivered},
                             {"lost", p.lost},
                             {"send_failed", p.send_failed},
                             {"duplicates", p.duplicates},
                             {"mismapped", p.mismapped},
                             {"offered_per_s", p.offered_per_s},
                             {"sent_per_s", p.sent_per_s},
                             {"delivered_per_s", p.delivered_per_s},
                             {"p50_ms", p.p50_ms},
                             {"p90_ms", p.p90_ms},
                             {"p99_ms", p.p99_ms},
                             {"max_ms", p.max_ms}});
  }
  for (const auto& [name, count] : anomalies) {
    out["anomalies"][name] = count;
  }
  return out.dump();
}

bool all_correct(const std::vector<PhaseStats>& phases) {
  for (const auto& p : phases) {
    if (p.lost > 0 || p.send_failed > 0 || p.duplicates > 0 || p.mismapped > 0 ||
        p.delivered != p.sent) {
      return false;
    }
  }
  return !phases.empty();
}

}  // namespace fedgate::load
