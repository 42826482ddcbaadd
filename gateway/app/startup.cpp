#include "gateway/app/startup.hpp"

#include <boost/program_options.hpp>
#include <iostream>

namespace fedgate::gateway {

bool parse_command_line(NodeConfig& config, const boost::program_options::options_description& desc,
                        const std::vector<std::string>& args, const char* usage,
                        bool* help_shown) {
  for (const auto& a : args) {
    if (a == "--help" || a == "-h") {
      std::cout << "usage: " << usage << "\n\n" << desc << "\n";
      if (help_shown) {
        *help_shown = true;
      }
      return false;
    }
  }
  try {
    load_node_config(config, desc, args);
  } catch (const boost::program_options::error& e) {
    std::cerr << "fedgate: " << e.what() << "\nusage: " << usage << " (--help lists options)\n";
    return false;
  }
  complete_defaults(config);
  if (!parse_log_level(config.log_level)) {
    std::cerr << "fedgate: log-level '" << config.log_level
              << "' is not one of trace, debug, info, warn, error, off\n";
    return false;
  }
  return true;
}

Logger start_logging(const NodeConfig& config) {
  LogOptions options;
  options.level = parse_log_level(config.log_level).value_or(LogLevel::info);
  options.node_id = config.node_id;
  options.file = config.log_file.string();
  init_logging(options);
  WireTrace::sip = config.trace_sip;
  WireTrace::xmpp = config.trace_xmpp;
  return Logger{};
}

}  // namespace fedgate::gateway
