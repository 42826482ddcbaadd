#include "tests/bench/load/report.hpp"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

namespace fedgate::load {

namespace {

// "fedgate   cpu  sip_to_xmpp_presence 6.1 s x 2 cores: fedgate 4.20 s (52% of the machine,
// 210 us/unit) ...": who used the cores during the phase, per delivered unit.
void print_cpu(const std::string& label, const PhaseStats& p) {
  if (p.cpu.shares.empty() || p.cpu.wall_s <= 0) {
    return;
  }
  const double machine = p.cpu.wall_s * std::max(1, p.cpu.cores);
  std::printf("%-9s cpu %s over %.2f s x %d cores:", label.c_str(), p.name.c_str(), p.cpu.wall_s,
              p.cpu.cores);
  for (const auto& share : p.cpu.shares) {
    std::printf(" %s %.2f s (%.0f%%", share.name.c_str(), share.seconds,
                100.0 * share.seconds / machine);
    if (share.name != "idle" && p.delivered > 0) {
      std::printf(", %.1f us/unit", 1e6 * share.seconds / static_cast<double>(p.delivered));
    }
    std::printf(")");
  }
  std::printf("\n");
}

}  // namespace

void print_report(const std::string& label, const std::vector<PhaseStats>& phases,
                  const Anomalies& anomalies) {
  std::printf(
      "%-9s %-22s %7s %9s %5s %6s %6s %5s %4s %6s %9s %8s %11s %7s %7s %7s %8s %7s %7s %7s %7s "
      "%8s\n",
      "path", "phase", "sent", "delivered", "lost", "failed", "errdlv", "noans", "dup", "mismap",
      "offered/s", "sent/s", "delivered/s", "p50ms", "p90ms", "p99ms", "maxms", "ans50ms",
      "ans99ms", "lag50ms", "lag99ms", "lagmaxms");
  for (const auto& p : phases) {
    std::printf(
        "%-9s %-22s %7zu %9zu %5zu %6zu %6zu %5zu %4zu %6zu %9.0f %8.0f %11.0f %7.2f %7.2f %7.2f "
        "%8.2f %7.2f %7.2f %7.2f %7.2f %8.2f\n",
        label.c_str(), p.name.c_str(), p.sent, p.delivered, p.lost, p.send_failed,
        p.error_delivered, p.unanswered, p.duplicates, p.mismapped, p.offered_per_s, p.sent_per_s,
        p.delivered_per_s, p.p50_ms, p.p90_ms, p.p99_ms, p.max_ms, p.answer_p50_ms,
        p.answer_p99_ms, p.lag_p50_ms, p.lag_p99_ms, p.lag_max_ms);
    if (p.lost > 0 || p.mismapped > 0) {
      std::printf("!!! %s %s: %zu LOST, %zu MIS-MAPPED of %zu sent !!!\n", label.c_str(),
                  p.name.c_str(), p.lost, p.mismapped, p.sent);
    }
    print_cpu(label, p);
    if (p.error_delivered > 0 || p.unanswered > 0) {
      std::printf("!!! %s %s: %zu answered with an error YET DELIVERED, %zu never answered !!!\n",
                  label.c_str(), p.name.c_str(), p.error_delivered, p.unanswered);
    }
  }
  for (const auto& [name, count] : anomalies) {
    std::printf("%-9s anomaly %s x%zu\n", label.c_str(), name.c_str(), count);
  }
  std::fflush(stdout);
}

void print_sweep(const std::vector<PhaseStats>& phases) {
  constexpr double kP99LimitMs = 5.0;
  std::string phase;
  double best = 0;
  auto verdict = [&phase, &best] {
    if (!phase.empty()) {
      std::printf("sweep %-22s p99 < %.0f ms up to %.0f/s (of the rates tried)\n", phase.c_str(),
                  kP99LimitMs, best);
    }
  };
  for (const auto& p : phases) {
    const auto at = p.name.find('@');
    if (at == std::string::npos) {
      continue;
    }
    if (p.name.compare(0, at, phase) != 0 || phase.size() != at) {
      verdict();
      phase = p.name.substr(0, at);
      best = 0;
    }
    const bool kept_up = p.delivered == p.sent && p.lost == 0 &&
                         p.delivered_per_s >= 0.95 * p.offered_per_s;
    const bool ok = kept_up && p.p99_ms < kP99LimitMs;
    std::printf("sweep %-28s offered %7.0f/s sent %7zu delivered %7.0f/s p50 %7.2f p99 %8.2f "
                "ms, lag99 %7.2f ms%s\n",
                p.name.c_str(), p.offered_per_s, p.sent, p.delivered_per_s, p.p50_ms, p.p99_ms,
                p.lag_p99_ms, ok ? "" : (kept_up ? "  (p99 over)" : "  (fell behind)"));
    if (ok) {
      best = std::max(best, p.offered_per_s);
    }
  }
  verdict();
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
                             {"error_delivered", p.error_delivered},
                             {"unanswered", p.unanswered},
                             {"duplicates", p.duplicates},
                             {"mismapped", p.mismapped},
                             {"offered_per_s", p.offered_per_s},
                             {"sent_per_s", p.sent_per_s},
                             {"delivered_per_s", p.delivered_per_s},
                             {"p50_ms", p.p50_ms},
                             {"p90_ms", p.p90_ms},
                             {"p99_ms", p.p99_ms},
                             {"max_ms", p.max_ms},
                             {"answer_p50_ms", p.answer_p50_ms},
                             {"answer_p99_ms", p.answer_p99_ms},
                             {"lag_p50_ms", p.lag_p50_ms},
                             {"lag_p99_ms", p.lag_p99_ms},
                             {"lag_max_ms", p.lag_max_ms},
                             {"cpu_wall_s", p.cpu.wall_s}});
    for (const auto& share : p.cpu.shares) {
      out["phases"].back()["cpu_s"][share.name] = share.seconds;
    }
  }
  for (const auto& [name, count] : anomalies) {
    out["anomalies"][name] = count;
  }
  return out.dump();
}

bool all_correct(const std::vector<PhaseStats>& phases) {
  for (const auto& p : phases) {
    if (p.lost > 0 || p.send_failed > 0 || p.error_delivered > 0 || p.unanswered > 0 ||
        p.duplicates > 0 || p.mismapped > 0 || p.delivered != p.sent) {
      return false;
    }
  }
  return !phases.empty();
}

}  // namespace fedgate::load
