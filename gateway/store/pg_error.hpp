// Classification of libpqxx exceptions into StoreErrc (STYLE.md B6: third-party exceptions
// end inside gateway/store). Used by DbPool, the loader, the migrator and the watcher.
// Pure function over an exception_ptr; any thread.
#pragma once

#include <exception>
#include <string>

#include "gateway/store/store_error.hpp"

namespace fedgate::gateway {

struct PgFailure {
  StoreErrc code = StoreErrc::query_failed;
  std::string detail;  // the server's message (first line) or the exception's what()
  std::string sqlstate;
};

// broken_connection → unavailable; integrity_constraint_violation (SQLSTATE class 23) →
// constraint_violation; any other exception → query_failed.
PgFailure classify_pg_exception(std::exception_ptr error);

}  // namespace fedgate::gateway
