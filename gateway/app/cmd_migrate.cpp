// fedgate migrate: apply pending schema migrations to the configured (or embedded) database.
#include <boost/program_options.hpp>
#include <iostream>

#include "gateway/app/commands.hpp"
#include "gateway/app/database.hpp"
#include "gateway/app/startup.hpp"
#include "gateway/store/migrator.hpp"

namespace fedgate::gateway {

int cmd_migrate(const std::vector<std::string>& args) {
  NodeConfig config;
  auto desc = node_options(config);
  desc.add_options()("help,h", "show the options");
  bool help = false;
  if (!parse_command_line(config, desc, args, "fedgate migrate [options]", &help)) {
    return help ? 0 : 2;
  }
  auto log = start_logging(config);
  try {
    std::filesystem::create_directories(config.state_dir);
    Database db = open_database(config, log);
    auto applied = apply_migrations(db.conninfo, log);
    if (!applied) {
      std::cerr << "fedgate: migrations failed: " << applied.error().message() << "\n";
      return 1;
    }
    std::cout << "applied " << applied->size() << " migrations";
    for (int v : *applied) {
      std::cout << " " << v;
    }
    std::cout << "; schema is at version " << all_migrations().back().version << "\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "fedgate: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace fedgate::gateway
