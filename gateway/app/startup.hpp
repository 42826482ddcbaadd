// Shared start-up steps of the subcommands: option parsing with readable errors, logging.
#pragma once

#include <boost/program_options/options_description.hpp>
#include <string>
#include <vector>

#include "gateway/app/node_config.hpp"
#include "gateway/base/log.hpp"

namespace fedgate::gateway {

// Parses options into config; prints help or the error. False: exit with status 2 (or 0 for
// --help, reported through `help_shown`).
bool parse_command_line(NodeConfig& config, const boost::program_options::options_description& desc,
                        const std::vector<std::string>& args, const char* usage,
                        bool* help_shown = nullptr);

Logger start_logging(const NodeConfig& config);

}  // namespace fedgate::gateway
