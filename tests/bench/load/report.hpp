// Report: the load generator's per-phase table on stdout, the JSON form for scripts, and the
// verdict (nothing lost, duplicated or mis-mapped). Owned by main; pure formatting.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "tests/bench/load/probe.hpp"

namespace fedgate::load {

using Anomalies = std::vector<std::pair<std::string, std::size_t>>;

// `label` names the path measured ("fedgate", "baseline").
void print_report(const std::string& label, const std::vector<PhaseStats>& phases,
                  const Anomalies& anomalies);
// The rate sweep (phases named "PHASE@RATE"): p99 per rate, and per phase the highest rate
// whose p99 stayed under 5 ms while keeping up (delivered/s at least 95 % of offered).
void print_sweep(const std::vector<PhaseStats>& phases);
std::string report_json(const std::string& label, const std::vector<PhaseStats>& phases,
                        const Anomalies& anomalies);
// True when every phase delivered everything it sent, once, mapped right, and every SIP send
// was answered with a success.
bool all_correct(const std::vector<PhaseStats>& phases);

}  // namespace fedgate::load
