// InMemorySubscriptionStore: SubscriptionStore kept in a std::map, for tests and for a
// single-node run without PostgreSQL. Not thread-safe (no mutexes in presence/): one owner.
// Same contract as subscription_store.hpp, including the (watcher, presentity) uniqueness.
#pragma once

#include <map>

#include "presence/subscription_store.hpp"

namespace fedgate::presence {

class InMemorySubscriptionStore final : public SubscriptionStore {
 public:
  PortResult<std::int64_t> save(const Subscription& s) override {
    Subscription row = s;
    if (row.id == 0) {
      row.id = find_pair(s);
    }
    if (row.id == 0) {
      row.id = ++last_id_;
    }
    rows_[row.id] = row;
    return row.id;
  }
  PortResult<Done> update(const Subscription& s) override {
    auto it = rows_.find(s.id);
    if (it == rows_.end()) {
      return PortErrc::not_found;
    }
    it->second.state = s.state;
    it->second.expires = s.expires;
    it->second.sip_dialog = s.sip_dialog;
    return Done{};
  }
  PortResult<Done> remove(std::int64_t id) override {
    rows_.erase(id);
    return Done{};
  }
  PortResult<std::vector<Subscription>> load_all() override {
    std::vector<Subscription> out;
    out.reserve(rows_.size());
    for (const auto& [id, row] : rows_) {
      out.push_back(row);
    }
    return out;
  }
  std::size_t size() const { return rows_.size(); }

 private:
  std::int64_t find_pair(const Subscription& s) const {
    for (const auto& [id, row] : rows_) {
      if (row.watcher == s.watcher && row.presentity == s.presentity) {
        return id;
      }
    }
    return 0;
  }
  std::map<std::int64_t, Subscription> rows_;
  std::int64_t last_id_ = 0;
};

}  // namespace fedgate::presence
