// Test DNS server: answers crafted SRV/A/AAAA records over UDP on 127.0.0.1 (port 0) from its
// own thread, NXDOMAIN for unknown names, nothing at all for names marked silent. Bounded:
// it polls in 50 ms steps and stops with the object.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace fedgate::gateway {

class DnsResponder {
 public:
  DnsResponder();
  ~DnsResponder();
  DnsResponder(const DnsResponder&) = delete;
  DnsResponder& operator=(const DnsResponder&) = delete;

  void add_srv(const std::string& name, std::uint16_t priority, std::uint16_t weight,
               std::uint16_t port, const std::string& target, std::uint32_t ttl);
  void add_a(const std::string& name, const std::string& ipv4, std::uint32_t ttl);
  void add_aaaa(const std::string& name, const std::string& ipv6, std::uint32_t ttl);
  void add_silent(const std::string& name);  // never answered: the client times out
  void add_servfail(const std::string& name);

  std::uint16_t port() const { return port_; }
  std::string address() const;  // "127.0.0.1:<port>"
  int queries() const { return queries_.load(); }

 private:
  struct Record {
    std::uint16_t type;
    std::uint32_t ttl;
    std::string rdata;
  };
  void run();
  std::string answer(const std::string& query);

  int fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> queries_{0};
  std::mutex mutex_;
  std::map<std::string, std::vector<Record>> records_;  // lower-case owner name
  std::set<std::string> silent_, servfail_;
  std::thread thread_;
};

}  // namespace fedgate::gateway
