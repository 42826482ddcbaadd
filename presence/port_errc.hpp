// PortErrc and Done: the error vocabulary of the router's storage ports (SubscriptionStore,
// PresenceCacheStore, Outbox). Owned by presence_router; gateway/store maps its own StoreErrc
// and pqxx exceptions onto these at the adapter edge (STYLE.md B6).
#pragma once

#include <string_view>

#include "presence/model/expected.hpp"

namespace fedgate::presence {

enum class PortErrc {
  unavailable = 1,  // database down or connection lost: retry with backoff, or bounce
  not_found,        // the row the call names does not exist
  conflict,         // a uniqueness rule refused the write
  corrupt,          // a stored row could not be turned back into a value
};

std::string_view to_string(PortErrc e) noexcept;

// The value of a successful call that returns nothing.
struct Done {
  friend bool operator==(Done, Done) = default;
};

template <class T>
using PortResult = Expected<T, PortErrc>;

}  // namespace fedgate::presence
