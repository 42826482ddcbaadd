#include "unbound_process.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

namespace fedgate::gateway {
namespace {

namespace fs = std::filesystem;

// A UDP port that was free a moment ago on 127.0.0.1.
std::uint16_t free_udp_port() {
  int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

void write_config(const fs::path& dir, std::uint16_t port, const std::vector<std::string>& rrs) {
  std::ofstream conf(dir / "unbound.conf");
  conf << "server:\n  interface: 127.0.0.1\n  port: " << port << "\n"
       << "  do-daemonize: no\n  chroot: \"\"\n  username: \"\"\n"
       << "  directory: \"" << dir.string() << "\"\n  pidfile: \"\"\n"
       << "  logfile: \"\"\n  use-syslog: no\n  verbosity: 1\n  do-ip6: no\n"
       << "  access-control: 127.0.0.0/8 allow\n  module-config: \"iterator\"\n"
       << "  local-zone: \"test.\" static\n";
  for (const auto& rr : rrs) {
    conf << "  local-data: \"" << rr << "\"\n";
  }
  conf << "remote-control:\n  control-enable: no\n";
}

}  // namespace

UnboundProcess::UnboundProcess(std::string binary, std::vector<std::string> records) {
  std::random_device rd;
  dir_ = fs::temp_directory_path() / ("fedgate-unbound-" + std::to_string(rd()));
  fs::create_directories(dir_);
  port_ = free_udp_port();
  write_config(dir_, port_, records);
  std::string conf = (dir_ / "unbound.conf").string();
  std::string log = (dir_ / "unbound.log").string();
  pid_ = ::fork();
  if (pid_ == 0) {
    int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    ::execl(binary.c_str(), binary.c_str(), "-d", "-c", conf.c_str(), nullptr);
    ::_exit(127);
  }
}

UnboundProcess::~UnboundProcess() {
  if (pid_ > 0) {
    ::kill(pid_, SIGTERM);
    int status = 0;
    for (int i = 0; i < 50 && ::waitpid(pid_, &status, WNOHANG) == 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    if (::waitpid(pid_, &status, WNOHANG) == 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
    }
  }
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

std::string UnboundProcess::log() const {
  std::ifstream in(dir_ / "unbound.log");
  std::stringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace fedgate::gateway
