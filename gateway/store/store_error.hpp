// StoreErrc: the error codes of gateway/store (STYLE.md B6). libpqxx and process failures are
// caught inside the store adapters and surface to callers only as these codes; the detailed
// message goes to the log. Plain data, usable from any thread.
#pragma once

#include <boost/system/error_code.hpp>

#include <type_traits>

namespace fedgate::gateway {

enum class StoreErrc {
  unavailable = 1,       // cannot connect, or the connection broke (retry later)
  constraint_violation,  // the database refused the row (CHECK, UNIQUE, FK, policy trigger)
  query_failed,          // any other SQL error
  migration_failed,      // a schema migration failed and was rolled back
  embedded_failed,       // the embedded PostgreSQL could not be initialised or started
  not_found,             // an expected row is missing
};

const boost::system::error_category& store_category() noexcept;

inline boost::system::error_code make_error_code(StoreErrc e) noexcept {
  return {static_cast<int>(e), store_category()};
}

}  // namespace fedgate::gateway

template <>
struct boost::system::is_error_code_enum<fedgate::gateway::StoreErrc> : std::true_type {};
