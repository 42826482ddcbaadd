#include "gateway/net/fake_resolver.hpp"

namespace fedgate::gateway {

namespace asio = boost::asio;

void FakeResolver::set_srv(const std::string& name, result<std::vector<SrvTarget>> answer) {
  std::lock_guard lock(mutex_);
  srv_.insert_or_assign(name, std::move(answer));
}

void FakeResolver::set_host(const std::string& host, result<std::vector<AddressRecord>> answer) {
  std::lock_guard lock(mutex_);
  hosts_.insert_or_assign(host, std::move(answer));
}

asio::awaitable<result<std::vector<SrvTarget>>> FakeResolver::resolve_srv(std::string name) {
  std::lock_guard lock(mutex_);
  ++lookups_[name];
  auto it = srv_.find(name);
  if (it == srv_.end()) {
    co_return ResolverErrc::not_found;
  }
  co_return it->second;
}

asio::awaitable<result<std::vector<AddressRecord>>> FakeResolver::resolve_host(std::string host) {
  std::lock_guard lock(mutex_);
  ++lookups_[host];
  auto it = hosts_.find(host);
  if (it == hosts_.end()) {
    co_return ResolverErrc::not_found;
  }
  co_return it->second;
}

int FakeResolver::lookups(const std::string& name) const {
  std::lock_guard lock(mutex_);
  auto it = lookups_.find(name);
  return it == lookups_.end() ? 0 : it->second;
}

}  // namespace fedgate::gateway
