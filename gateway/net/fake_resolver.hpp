// FakeResolver: a Resolver port implementation for unit tests of the connection managers and
// of the cache; canned answers by name, every lookup counted. Owned by gw_net (target
// gw_net_fake_resolver, tests only). Completes at once on the caller's executor.
#pragma once

#include <map>
#include <mutex>
#include <string>

#include "gateway/net/resolver.hpp"

namespace fedgate::gateway {

class FakeResolver final : public Resolver {
 public:
  void set_srv(const std::string& name, result<std::vector<SrvTarget>> answer);
  void set_host(const std::string& host, result<std::vector<AddressRecord>> answer);

  // Unknown names answer ResolverErrc::not_found.
  boost::asio::awaitable<result<std::vector<SrvTarget>>> resolve_srv(std::string name) override;
  boost::asio::awaitable<result<std::vector<AddressRecord>>> resolve_host(
      std::string host) override;

  int lookups(const std::string& name) const;  // resolve_srv + resolve_host calls for it

 private:
  mutable std::mutex mutex_;
  std::map<std::string, result<std::vector<SrvTarget>>> srv_;
  std::map<std::string, result<std::vector<AddressRecord>>> hosts_;
  std::map<std::string, int> lookups_;
};

}  // namespace fedgate::gateway
