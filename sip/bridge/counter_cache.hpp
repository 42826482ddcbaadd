// CounterCache: the counters of one metric family by their label values, found again without
// building the name, help and label strings the registry's lookup takes (a hot path counts
// every SIP request). Owned by sip_net (used by AgentMetrics and the SIP edge); thread-safe.
#pragma once

#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gateway/base/metrics.hpp"

namespace fedgate::sip {

class CounterCache {
 public:
  // `labels`: the label names, one or two (the values come with each get()).
  CounterCache(MetricsRegistry& registry, std::string name, std::string help,
               std::vector<std::string> labels)
      : registry_(registry),
        name_(std::move(name)),
        help_(std::move(help)),
        labels_(std::move(labels)) {}

  // The counter for these label values (a second value only with two label names).
  Counter& get(std::string_view first, std::string_view second = {}) {
    std::lock_guard lock{mutex_};
    for (const auto& e : entries_) {
      if (e.first == first && e.second == second) {
        return *e.counter;
      }
    }
    Labels labels{{labels_.at(0), std::string(first)}};
    if (labels_.size() > 1) {
      labels.emplace_back(labels_[1], std::string(second));
    }
    Counter& c = registry_.counter(name_, help_, labels);
    entries_.push_back(Entry{std::string(first), std::string(second), &c});
    return c;
  }

 private:
  struct Entry {
    std::string first;
    std::string second;
    Counter* counter;
  };
  MetricsRegistry& registry_;
  std::string name_;
  std::string help_;
  std::vector<std::string> labels_;
  std::mutex mutex_;
  std::vector<Entry> entries_;  // low cardinality: a linear search
};

}  // namespace fedgate::sip
