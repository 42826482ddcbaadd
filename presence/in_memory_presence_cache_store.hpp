// InMemoryPresenceCacheStore: PresenceCacheStore in a std::map, for tests and single-node
// runs. Not thread-safe: one owner. Same staleness rule as presence_cache_store.hpp.
#pragma once

#include <map>

#include "presence/presence_cache_store.hpp"

namespace fedgate::presence {

class InMemoryPresenceCacheStore final : public PresenceCacheStore {
 public:
  PortResult<bool> put(const Presence& p) override {
    auto key = p.entity.str();
    auto it = rows_.find(key);
    if (it != rows_.end() && it->second.publish_time && p.publish_time &&
        *p.publish_time < *it->second.publish_time) {
      return false;
    }
    rows_[key] = p;
    return true;
  }
  PortResult<std::optional<Presence>> get(const Address& entity) override {
    auto it = rows_.find(entity.str());
    if (it == rows_.end()) {
      return std::optional<Presence>{};
    }
    return std::optional<Presence>{it->second};
  }
  PortResult<Done> remove(const Address& entity) override {
    rows_.erase(entity.str());
    return Done{};
  }
  PortResult<std::vector<Presence>> load_all() override {
    std::vector<Presence> out;
    for (const auto& [key, p] : rows_) {
      out.push_back(p);
    }
    return out;
  }

 private:
  std::map<std::string, Presence> rows_;
};

}  // namespace fedgate::presence
