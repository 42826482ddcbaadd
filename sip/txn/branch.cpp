// Branch generation and the magic-cookie test (RFC 3261 §8.1.1.7, §17.2.3).
#include "sip/txn/branch.hpp"

#include <fmt/format.h>

namespace fedgate::sip {

bool is_rfc3261_branch(std::string_view branch) noexcept {
  return branch.size() > kMagicCookie.size() &&
         branch.substr(0, kMagicCookie.size()) == kMagicCookie;
}

BranchGenerator::BranchGenerator(std::uint64_t seed) : random_(seed) {}

std::string BranchGenerator::next() {
  return fmt::format("{}{:016x}{:x}", kMagicCookie, random_(), counter_++);
}

}  // namespace fedgate::sip
