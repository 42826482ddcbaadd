// ChildProcess: runs a program (fork + execv, argv as a vector: no shell, no injection) with
// stdout and stderr captured, optionally as another user, with a bounded wait. Blocking;
// used by EmbeddedPostgres for initdb and pg_ctl. Not for I/O threads.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "gateway/base/clock.hpp"
#include "gateway/base/result.hpp"

namespace fedgate::gateway {

struct RunAs {
  uid_t uid;
  gid_t gid;
};

struct ChildOptions {
  std::optional<RunAs> run_as;  // drop to this user in the child (the parent must be root)
  std::filesystem::path cwd = "/";
  Duration timeout = seconds(120);  // then the child is killed
};

struct ChildResult {
  int exit_status = -1;  // exit code; 128 + signal when killed by a signal
  bool timed_out = false;
  std::string output;    // stdout and stderr interleaved, truncated to 64 KiB
};

// Fails (errc::no_such_file_or_directory...) only when the child could not be started.
result<ChildResult> run_child(const std::vector<std::string>& argv, const ChildOptions& options);

// "prog arg 'arg with space'" for log lines and error messages.
std::string describe_command(const std::vector<std::string>& argv);

}  // namespace fedgate::gateway
