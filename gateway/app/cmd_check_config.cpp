// fedgate check-config: validate the node's configuration, certificates and database, print
// every finding, and exit 1 when any is an error.
#include <boost/program_options.hpp>
#include <iostream>

#include "gateway/app/check_config.hpp"
#include "gateway/app/commands.hpp"
#include "gateway/app/startup.hpp"

namespace fedgate::gateway {

int cmd_check_config(const std::vector<std::string>& args) {
  NodeConfig config;
  auto desc = node_options(config);
  desc.add_options()("help,h", "show the options");
  bool help = false;
  if (!parse_command_line(config, desc, args, "fedgate check-config [options]", &help)) {
    if (!help) {
      std::cout << "error: configuration is invalid (see above)\n";
    }
    return help ? 0 : 1;
  }
  LogOptions quiet;
  quiet.level = LogLevel::warn;
  init_logging(quiet);
  std::vector<std::string> domains;
  std::vector<Finding> all = check_identity(config);
  for (auto& f : check_listeners(config)) {
    all.push_back(std::move(f));
  }
  for (auto& f : check_database(config, domains)) {
    all.push_back(std::move(f));
  }
  for (auto& f : check_tls(config, domains)) {
    all.push_back(std::move(f));
  }
  int errors = 0;
  int warnings = 0;
  for (const auto& f : all) {
    static constexpr const char* kTag[] = {"ok", "warning", "error"};
    std::cout << kTag[static_cast<int>(f.severity)] << ": " << f.what << "\n";
    errors += f.severity == Severity::error;
    warnings += f.severity == Severity::warning;
  }
  std::cout << errors << " errors, " << warnings << " warnings\n";
  return errors ? 1 : 0;
}

}  // namespace fedgate::gateway
