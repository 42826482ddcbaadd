#include "dns_responder.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>

namespace fedgate::gateway {
namespace {

constexpr std::uint16_t kTypeA = 1, kTypeAaaa = 28, kTypeSrv = 33;

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

void put16(std::string& out, std::uint16_t v) {
  out.push_back(static_cast<char>(v >> 8));
  out.push_back(static_cast<char>(v & 0xff));
}

void put32(std::string& out, std::uint32_t v) {
  put16(out, static_cast<std::uint16_t>(v >> 16));
  put16(out, static_cast<std::uint16_t>(v & 0xffff));
}

std::string encode_name(const std::string& name) {
  std::string out;
  std::size_t start = 0;
  while (start < name.size()) {
    std::size_t dot = name.find('.', start);
    if (dot == std::string::npos) {
      dot = name.size();
    }
    out.push_back(static_cast<char>(dot - start));
    out += name.substr(start, dot - start);
    start = dot + 1;
  }
  out.push_back('\0');
  return out;
}

// The question's name (dotted, lower-case) and where the question section ends.
bool read_question(const std::string& q, std::string& name, std::size_t& end) {
  std::size_t pos = 12;
  while (pos < q.size() && q[pos] != 0) {
    std::size_t len = static_cast<unsigned char>(q[pos]);
    if (pos + 1 + len > q.size()) {
      return false;
    }
    if (!name.empty()) {
      name += '.';
    }
    name.append(q, pos + 1, len);
    pos += 1 + len;
  }
  end = pos + 5;  // the root label, QTYPE, QCLASS
  return end <= q.size();
}

}  // namespace

DnsResponder::DnsResponder() {
  fd_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  thread_ = std::thread([this] { run(); });
}

DnsResponder::~DnsResponder() {
  stop_ = true;
  thread_.join();
  ::close(fd_);
}

std::string DnsResponder::address() const { return "127.0.0.1:" + std::to_string(port_); }

void DnsResponder::add_srv(const std::string& name, std::uint16_t priority, std::uint16_t weight,
                           std::uint16_t port, const std::string& target, std::uint32_t ttl) {
  std::string rdata;
  put16(rdata, priority);
  put16(rdata, weight);
  put16(rdata, port);
  rdata += encode_name(target == "." ? "" : target);
  std::lock_guard lock(mutex_);
  records_[lower(name)].push_back({kTypeSrv, ttl, rdata});
}

void DnsResponder::add_a(const std::string& name, const std::string& ipv4, std::uint32_t ttl) {
  in_addr a{};
  ::inet_pton(AF_INET, ipv4.c_str(), &a);
  std::lock_guard lock(mutex_);
  records_[lower(name)].push_back({kTypeA, ttl, std::string(reinterpret_cast<char*>(&a), 4)});
}

void DnsResponder::add_aaaa(const std::string& name, const std::string& ipv6, std::uint32_t ttl) {
  in6_addr a{};
  ::inet_pton(AF_INET6, ipv6.c_str(), &a);
  std::lock_guard lock(mutex_);
  records_[lower(name)].push_back({kTypeAaaa, ttl, std::string(reinterpret_cast<char*>(&a), 16)});
}

void DnsResponder::add_silent(const std::string& name) {
  std::lock_guard lock(mutex_);
  silent_.insert(lower(name));
}

void DnsResponder::add_servfail(const std::string& name) {
  std::lock_guard lock(mutex_);
  servfail_.insert(lower(name));
}

std::string DnsResponder::answer(const std::string& q) {
  std::string name;
  std::size_t end = 0;
  if (q.size() < 12 || !read_question(q, name, end)) {
    return {};
  }
  name = lower(name);
  auto qtype = static_cast<std::uint16_t>(static_cast<unsigned char>(q[end - 4]) << 8 |
                                          static_cast<unsigned char>(q[end - 3]));
  std::lock_guard lock(mutex_);
  if (silent_.count(name)) {
    return {};
  }
  auto it = records_.find(name);
  std::vector<Record> matching;
  if (it != records_.end()) {
    std::copy_if(it->second.begin(), it->second.end(), std::back_inserter(matching),
                 [&](const Record& r) { return r.type == qtype; });
  }
  int rcode = servfail_.count(name) ? 2 : it == records_.end() ? 3 : 0;
  std::string out = q.substr(0, 2);                        // ID
  put16(out, static_cast<std::uint16_t>(0x8180 | rcode));  // QR, RD, RA
  put16(out, 1);
  put16(out, rcode == 0 ? static_cast<std::uint16_t>(matching.size()) : 0);
  put32(out, 0);  // NSCOUNT, ARCOUNT
  out += q.substr(12, end - 12);
  for (const auto& r : rcode == 0 ? matching : std::vector<Record>{}) {
    put16(out, 0xc00c);  // pointer to the question name
    put16(out, r.type);
    put16(out, 1);
    put32(out, r.ttl);
    put16(out, static_cast<std::uint16_t>(r.rdata.size()));
    out += r.rdata;
  }
  return out;
}

void DnsResponder::run() {
  char buf[1500];
  while (!stop_) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) {
      continue;
    }
    sockaddr_in from{};
    socklen_t len = sizeof from;
    auto n = ::recvfrom(fd_, buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&from), &len);
    if (n <= 0) {
      continue;
    }
    ++queries_;
    std::string reply = answer(std::string(buf, static_cast<std::size_t>(n)));
    if (!reply.empty()) {
      ::sendto(fd_, reply.data(), reply.size(), 0, reinterpret_cast<sockaddr*>(&from), len);
    }
  }
}

}  // namespace fedgate::gateway
