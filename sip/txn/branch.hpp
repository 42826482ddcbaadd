// Via branch parameters (RFC 3261 §8.1.1.7): the magic cookie and a generator of branches
// unique in space and time. Owned by sip_core; one generator per connection strand (it is
// not thread-safe). Pure apart from the seed the caller supplies.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <string_view>

namespace fedgate::sip {

inline constexpr std::string_view kMagicCookie = "z9hG4bK";

// True when `branch` starts with the RFC 3261 magic cookie (§17.2.3).
bool is_rfc3261_branch(std::string_view branch) noexcept;

class BranchGenerator {
 public:
  // `seed` should come from std::random_device in production; tests pass a fixed one.
  explicit BranchGenerator(std::uint64_t seed);
  // "z9hG4bK" + 16 random hex digits + a per-generator counter in hex.
  std::string next();

 private:
  std::mt19937_64 random_;
  std::uint64_t counter_ = 0;
};

}  // namespace fedgate::sip
