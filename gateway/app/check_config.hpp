// check-config: every check of a node's configuration, certificates and database, as a list
// of findings with a severity. Blocking (files, one database connection); start-up only.
#pragma once

#include <string>
#include <vector>

#include "gateway/app/node_config.hpp"

namespace fedgate::gateway {

enum class Severity { ok, warning, error };

struct Finding {
  Severity severity;
  std::string what;
};

std::vector<Finding> check_listeners(const NodeConfig& config);
// node-id and node-fqdn in the forms the `nodes` table accepts (cluster membership).
std::vector<Finding> check_identity(const NodeConfig& config);
std::vector<Finding> check_tls(const NodeConfig& config, const std::vector<std::string>& domains);
// Connects (embedded: only if its cluster is running), checks pending migrations and fills
// `local_domains` from the database.
std::vector<Finding> check_database(const NodeConfig& config, std::vector<std::string>& local_domains);

}  // namespace fedgate::gateway
