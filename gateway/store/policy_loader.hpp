// Policy loading: reads every policy table into presence::PolicyRows in one REPEATABLE READ
// READ ONLY transaction, so the rows and `version` are one consistent snapshot. Blocking
// (libpqxx): runs on a DbPool thread or the PolicyWatcher's worker. Issue 2, issue 5.
#pragma once

#include <pqxx/connection>
#include <string>

#include "gateway/base/result.hpp"
#include "presence/policy_rows.hpp"

namespace fedgate::gateway {

// pqxx exceptions are caught here: StoreErrc::unavailable when the connection broke,
// StoreErrc::query_failed for anything else (message in the `detail` string when given).
result<presence::PolicyRows> load_policy(pqxx::connection& conn, std::string* detail = nullptr);

}  // namespace fedgate::gateway
