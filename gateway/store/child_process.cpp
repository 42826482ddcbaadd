#include "gateway/store/child_process.hpp"

#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>

namespace fedgate::gateway {
namespace {

constexpr std::size_t kMaxOutput = 64 * 1024;

// Between fork and exec only async-signal-safe calls.
[[noreturn]] void exec_child(char* const* argv, int out_fd, const ChildOptions& options) {
  int null_fd = ::open("/dev/null", O_RDONLY);
  if (null_fd < 0 || ::dup2(null_fd, 0) < 0 || ::dup2(out_fd, 1) < 0 || ::dup2(out_fd, 2) < 0) {
    ::_exit(126);
  }
  if (options.run_as) {
    if (::setgroups(0, nullptr) != 0 || ::setgid(options.run_as->gid) != 0 ||
        ::setuid(options.run_as->uid) != 0) {
      ::_exit(126);
    }
  }
  if (::chdir(options.cwd.c_str()) != 0) {
    ::_exit(126);
  }
  ::execv(argv[0], argv);
  ::_exit(127);
}

// Reads until EOF or the deadline; returns false on timeout.
bool drain(int fd, std::string& output, TimePoint deadline) {
  char buf[4096];
  for (;;) {
    auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) {
      return false;
    }
    pollfd p{fd, POLLIN, 0};
    int ready = ::poll(&p, 1, static_cast<int>(left));
    if (ready < 0 && errno == EINTR) {
      continue;
    }
    if (ready <= 0) {
      return ready == 0 ? false : true;
    }
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return true;
    }
    output.append(buf, std::min<std::size_t>(static_cast<std::size_t>(n),
                                             kMaxOutput - std::min(kMaxOutput, output.size())));
  }
}

int wait_status(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) {
    return WEXITSTATUS(status);
  }
  return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : -1;
}

}  // namespace

result<ChildResult> run_child(const std::vector<std::string>& argv, const ChildOptions& options) {
  std::vector<char*> args;
  for (const auto& a : argv) {
    args.push_back(const_cast<char*>(a.c_str()));
  }
  args.push_back(nullptr);
  if (argv.empty() || ::access(argv[0].c_str(), X_OK) != 0) {
    return error_code{ENOENT, boost::system::generic_category()};
  }
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    return error_code{errno, boost::system::generic_category()};
  }
  pid_t pid = ::fork();
  if (pid < 0) {
    int err = errno;
    ::close(fds[0]);
    ::close(fds[1]);
    return error_code{err, boost::system::generic_category()};
  }
  if (pid == 0) {
    exec_child(args.data(), fds[1], options);
  }
  ::close(fds[1]);
  ChildResult out;
  out.timed_out = !drain(fds[0], out.output, Clock::now() + options.timeout);
  ::close(fds[0]);
  if (out.timed_out) {
    ::kill(pid, SIGKILL);
  }
  out.exit_status = wait_status(pid);
  return out;
}

std::string describe_command(const std::vector<std::string>& argv) {
  std::string text;
  for (const auto& a : argv) {
    if (!text.empty()) {
      text += ' ';
    }
    bool plain = !a.empty() && a.find_first_of(" '\"\\$`\n\t") == std::string::npos;
    text += plain ? a : "'" + a + "'";
  }
  return text;
}

}  // namespace fedgate::gateway
