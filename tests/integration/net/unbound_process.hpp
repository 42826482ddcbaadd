// Test fixture process: a real unbound in the foreground (-d) with its own config in a scratch
// directory, chroot "" and username "" (runs as the invoking user), serving local-data for
// the test. zone on 127.0.0.1 and a free port. Stopped by pid (SIGTERM, then SIGKILL).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace fedgate::gateway {

class UnboundProcess {
 public:
  // records: zone-file lines, e.g. "_xmpp-server._tcp.a.test. 300 IN SRV 10 5 5269 x.a.test."
  UnboundProcess(std::string binary, std::vector<std::string> records);
  ~UnboundProcess();
  UnboundProcess(const UnboundProcess&) = delete;
  UnboundProcess& operator=(const UnboundProcess&) = delete;

  bool started() const { return pid_ > 0; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  std::string log() const;  // unbound's output, for failure messages

 private:
  std::filesystem::path dir_;
  std::uint16_t port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace fedgate::gateway
