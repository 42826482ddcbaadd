// RFC 2782 target selection as pure functions: priority ascending, weighted random order
// within one priority, then "next target on failure". Owned by gw_net; no I/O, any thread.
// The random source is injected so that tests can enumerate every outcome.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "gateway/net/resolver.hpp"

namespace fedgate::gateway {

// Returns a uniformly distributed integer in [0, bound] (inclusive, as RFC 2782 words it).
using SrvRandom = std::function<std::uint32_t(std::uint32_t bound)>;
SrvRandom default_srv_random();

// The full contact order. A single target "." means "no service": the result is empty.
// RFC 2782: within a priority, zero-weight targets are put first in the running-sum list,
// so they are chosen only rarely (when the random number is 0) or when nothing else is left.
std::vector<SrvTarget> order_srv_targets(std::vector<SrvTarget> targets, const SrvRandom& random);

// True when the answer is the RFC 2782 "decidedly not available" form (one target ".").
bool srv_service_unavailable(const std::vector<SrvTarget>& targets);

// The target to try after `failed` in an ordered list, or nullopt when it was the last.
// Duplicates (same host and port) are skipped: a host that just failed is not tried again.
std::optional<SrvTarget> next_target(const std::vector<SrvTarget>& ordered,
                                     const SrvTarget& failed);

}  // namespace fedgate::gateway
