// The live policy snapshot as JSON, for GET /api/v1/policy. Secrets (the dialback secret)
// are never included. Pure function over the rows.
#pragma once

#include <string>

#include "presence/policy_rows.hpp"

namespace fedgate::gateway {

std::string policy_to_json(const presence::PolicyRows& rows);

}  // namespace fedgate::gateway
