#include "gateway/net/srv_order.hpp"

#include <algorithm>
#include <random>

namespace fedgate::gateway {
namespace {

// RFC 2782: order one priority's targets by weighted random selection.
void append_weighted(std::vector<SrvTarget> group, const SrvRandom& random,
                     std::vector<SrvTarget>& out) {
  std::stable_partition(group.begin(), group.end(),
                        [](const SrvTarget& t) { return t.weight == 0; });
  while (!group.empty()) {
    std::uint32_t sum = 0;
    for (const auto& t : group) {
      sum += t.weight;
    }
    std::uint32_t pick = std::min(random(sum), sum);
    std::uint32_t running = 0;
    auto chosen = group.begin();
    for (; chosen != group.end(); ++chosen) {
      running += chosen->weight;
      if (running >= pick) {
        break;
      }
    }
    out.push_back(std::move(*chosen));
    group.erase(chosen);
  }
}

}  // namespace

SrvRandom default_srv_random() {
  return [](std::uint32_t bound) {
    thread_local std::mt19937 engine{std::random_device{}()};
    return std::uniform_int_distribution<std::uint32_t>(0, bound)(engine);
  };
}

bool srv_service_unavailable(const std::vector<SrvTarget>& targets) {
  return targets.size() == 1 && (targets.front().host.empty() || targets.front().host == ".");
}

std::vector<SrvTarget> order_srv_targets(std::vector<SrvTarget> targets, const SrvRandom& random) {
  std::vector<SrvTarget> out;
  if (srv_service_unavailable(targets)) {
    return out;
  }
  std::stable_sort(targets.begin(), targets.end(),
                   [](const SrvTarget& a, const SrvTarget& b) { return a.priority < b.priority; });
  out.reserve(targets.size());
  for (auto first = targets.begin(); first != targets.end();) {
    auto last = std::find_if(first, targets.end(),
                             [&](const SrvTarget& t) { return t.priority != first->priority; });
    append_weighted(std::vector<SrvTarget>(first, last), random, out);
    first = last;
  }
  return out;
}

std::optional<SrvTarget> next_target(const std::vector<SrvTarget>& ordered,
                                     const SrvTarget& failed) {
  auto same_place = [&](const SrvTarget& t) {
    return t.host == failed.host && t.port == failed.port;
  };
  auto at = std::find_if(ordered.begin(), ordered.end(), same_place);
  auto from = at == ordered.end() ? ordered.begin() : std::next(at);
  auto next = std::find_if_not(from, ordered.end(), same_place);
  if (next == ordered.end()) {
    return std::nullopt;
  }
  return *next;
}

}  // namespace fedgate::gateway
