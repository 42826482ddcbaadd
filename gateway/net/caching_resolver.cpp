#include "gateway/net/caching_resolver.hpp"

#include <algorithm>
#include <optional>

namespace fedgate::gateway {

namespace asio = boost::asio;

namespace {

bool negative(const error_code& ec) {
  return ec == ResolverErrc::not_found || ec == ResolverErrc::no_data;
}

// A fresh cached answer, dropping it when it has expired. Called with the mutex held.
template <class Map>
auto lookup(Map& map, const std::string& key, TimePoint now)
    -> std::optional<decltype(map.begin()->second.answer)> {
  auto it = map.find(key);
  if (it == map.end()) {
    return std::nullopt;
  }
  if (it->second.expires <= now) {
    map.erase(it);
    return std::nullopt;
  }
  return it->second.answer;
}

}  // namespace

CachingResolver::CachingResolver(Resolver& upstream, CacheOptions options, Now now)
    : upstream_(upstream), options_(options), now_(std::move(now)) {}

template <class T>
TimePoint CachingResolver::expiry_of(const result<std::vector<T>>& answer) const {
  TimePoint now = now_();
  if (!answer) {  // timeouts and server failures are not cached: the next lookup retries
    return negative(answer.error()) ? now + options_.negative_ttl : now;
  }
  auto ttl = static_cast<std::uint32_t>(options_.max_ttl.count());
  for (const auto& record : *answer) {
    ttl = std::min(ttl, record.ttl);
  }
  return now + std::chrono::seconds(ttl);
}

asio::awaitable<result<std::vector<SrvTarget>>> CachingResolver::resolve_srv(std::string name) {
  {
    std::lock_guard lock(mutex_);
    if (auto hit = lookup(srv_, name, now_())) {
      co_return *hit;
    }
  }
  auto answer = co_await upstream_.resolve_srv(name);
  TimePoint expires = expiry_of(answer);
  std::lock_guard lock(mutex_);
  if (expires > now_()) {
    if (srv_.size() + hosts_.size() >= options_.max_entries) {
      srv_.clear();
      hosts_.clear();
    }
    srv_.insert_or_assign(std::move(name), Entry<SrvTarget>{answer, expires});
  }
  co_return answer;
}

asio::awaitable<result<std::vector<AddressRecord>>> CachingResolver::resolve_host(
    std::string host) {
  {
    std::lock_guard lock(mutex_);
    if (auto hit = lookup(hosts_, host, now_())) {
      co_return *hit;
    }
  }
  auto answer = co_await upstream_.resolve_host(host);
  TimePoint expires = expiry_of(answer);
  std::lock_guard lock(mutex_);
  if (expires > now_()) {
    if (srv_.size() + hosts_.size() >= options_.max_entries) {
      srv_.clear();
      hosts_.clear();
    }
    hosts_.insert_or_assign(std::move(host), Entry<AddressRecord>{answer, expires});
  }
  co_return answer;
}

std::size_t CachingResolver::size() const {
  std::lock_guard lock(mutex_);
  return srv_.size() + hosts_.size();
}

}  // namespace fedgate::gateway
