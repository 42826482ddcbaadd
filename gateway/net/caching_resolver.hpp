// A Resolver decorator that caches answers for their DNS TTL (and failures for a short
// negative TTL, RFC 2308 style). Owned by gw_net; thread-safe (one mutex around the maps).
// The clock is injected so tests drive expiry without sleeping.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "gateway/base/clock.hpp"
#include "gateway/net/resolver.hpp"

namespace fedgate::gateway {

struct CacheOptions {
  std::chrono::seconds negative_ttl{30};  // not_found / no_data
  std::chrono::seconds max_ttl{3600};     // caps long TTLs
  std::size_t max_entries = 10000;        // beyond it, the cache is cleared (simple bound)
};

class CachingResolver final : public Resolver {
 public:
  using Now = std::function<TimePoint()>;
  CachingResolver(Resolver& upstream, CacheOptions options, Now now = &Clock::now);

  boost::asio::awaitable<result<std::vector<SrvTarget>>> resolve_srv(std::string name) override;
  boost::asio::awaitable<result<std::vector<AddressRecord>>> resolve_host(
      std::string host) override;

  std::size_t size() const;

 private:
  template <class T>
  struct Entry {
    result<std::vector<T>> answer;
    TimePoint expires;
  };
  template <class T>
  using Map = std::map<std::string, Entry<T>, std::less<>>;

  template <class T>
  TimePoint expiry_of(const result<std::vector<T>>& answer) const;

  Resolver& upstream_;
  CacheOptions options_;
  Now now_;
  mutable std::mutex mutex_;
  Map<SrvTarget> srv_;
  Map<AddressRecord> hosts_;
};

}  // namespace fedgate::gateway
