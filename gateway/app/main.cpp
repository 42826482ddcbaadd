// fedgate: the gateway executable. Dispatches the subcommands; each lives in its own file.
//   fedgate run | migrate | check-config | sip-parse FILE... | version | help
#include <cstdio>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#if FEDGATE_HAVE_SIP_PARSE
#include "gateway/app/cmd_sip_parse.hpp"
#endif
#include "gateway/app/commands.hpp"

namespace {

constexpr std::string_view kUsage =
    "usage: fedgate COMMAND [options]\n"
    "\n"
    "commands:\n"
    "  run            run a gateway node (in the foreground)\n"
    "  migrate        apply pending database migrations and exit\n"
    "  check-config   validate configuration, certificates and database; exit 1 on errors\n"
    "  sip-parse F... parse each file as one SIP message and print a JSON summary\n"
    "  version        print the version\n"
    "\n"
    "'fedgate COMMAND --help' lists a command's options.\n";

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << kUsage;
    return 2;
  }
  std::string_view command = argv[1];
  std::vector<std::string> args(argv + 2, argv + argc);
  using namespace fedgate::gateway;
  if (command == "run") {
    return cmd_run(args);
  }
  if (command == "migrate") {
    return cmd_migrate(args);
  }
  if (command == "check-config") {
    return cmd_check_config(args);
  }
#if FEDGATE_HAVE_SIP_PARSE
  if (command == "sip-parse") {
    return cmd_sip_parse(args, std::cout, std::cerr);
  }
#endif
  if (command == "version" || command == "--version") {
    std::cout << "fedgate " << FEDGATE_VERSION << "\n";
    return 0;
  }
  if (command == "help" || command == "--help" || command == "-h") {
    std::cout << kUsage;
    return 0;
  }
  std::cerr << "fedgate: unknown command '" << command << "'\n" << kUsage;
  return 2;
}
