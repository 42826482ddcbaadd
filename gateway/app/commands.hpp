// The subcommands of the fedgate executable. Each parses its own options and returns the
// process exit status: 0 success, 1 a failure it explained, 2 bad usage.
#pragma once

#include <string>
#include <vector>

namespace fedgate::gateway {

int cmd_run(const std::vector<std::string>& args);
int cmd_migrate(const std::vector<std::string>& args);
int cmd_check_config(const std::vector<std::string>& args);

}  // namespace fedgate::gateway
