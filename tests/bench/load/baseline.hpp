// Baseline: the same XMPP work through a direct Prosody <-> ejabberd s2s link, with the load
// generator attached to each server as an XEP-0114 external component (comp.<home> on Prosody,
// comp.<partner> on ejabberd); stanzas between the two component domains cross the servers'
// s2s link. Measured like the fedgate path; the ratio is printed. Generator thread only.
#pragma once

#include <boost/program_options/options_description.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "tests/bench/load/pacer.hpp"
#include "tests/bench/load/probe.hpp"

namespace fedgate::load {

struct BaselineSettings {
  std::string home;     // "ADDR:PORT:DOMAIN:SECRET" (Prosody's component port)
  std::string partner;  // same, at ejabberd
  LoadPlan plan;
  std::vector<std::string> cpu_tree;  // NAME=PID: the servers' CPU per phase (with children)
  bool enabled() const { return !home.empty() && !partner.empty(); }
};

void add_baseline_options(boost::program_options::options_description& d, BaselineSettings& s);
// Runs the baseline phases (a, b, c, d as in the plan); false when a stanza was lost.
bool run_baseline(const BaselineSettings& settings, std::vector<PhaseStats>& out,
                  const std::string& json_file);
// fedgate delivered/s over the baseline's, per phase both ran.
void print_ratios(const std::vector<PhaseStats>& fedgate, const std::vector<PhaseStats>& baseline);

}  // namespace fedgate::load
