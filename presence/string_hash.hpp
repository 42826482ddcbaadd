// StringMap / StringSet: unordered containers keyed by std::string with heterogeneous lookup
// by std::string_view (C++20 transparent hashing), so the hot decision path never allocates.
// Owned by presence_router; used by the policy snapshot and identity indexes (immutable).
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

namespace fedgate::presence {

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept {
    return std::hash<std::string_view>{}(s);
  }
};

template <class V>
using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;
using StringSet = std::unordered_set<std::string, StringHash, std::equal_to<>>;

}  // namespace fedgate::presence
