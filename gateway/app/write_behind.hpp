// WriteBehind: the coalescing buffer of a write-behind store (the switchboard's presence cache;
// the same shape as SipEdgePersist's dialog rows). Latest value per key; a failed batch goes
// back without overwriting newer values; doubling retry delay. Not thread-safe: one strand.
#pragma once

#include <algorithm>
#include <cstddef>
#include <map>
#include <utility>
#include <vector>

#include "gateway/base/clock.hpp"

namespace fedgate::gateway {

template <class Key, class Value>
class WriteBehind {
 public:
  using Batch = std::vector<std::pair<Key, Value>>;

  // A newer value of `key` replaces the one waiting (coalescing).
  void note(Key key, Value value) { dirty_.insert_or_assign(std::move(key), std::move(value)); }

  // Everything waiting, in key order; the buffer is empty afterwards.
  Batch take() {
    Batch out;
    out.reserve(dirty_.size());
    for (auto& [key, value] : dirty_) {
      out.emplace_back(key, std::move(value));
    }
    dirty_.clear();
    return out;
  }

  // A batch that was not written: back in, unless a newer value arrived meanwhile.
  void give_back(Batch batch) {
    for (auto& [key, value] : batch) {
      dirty_.try_emplace(std::move(key), std::move(value));
    }
  }

  bool empty() const { return dirty_.empty(); }
  std::size_t size() const { return dirty_.size(); }

 private:
  std::map<Key, Value> dirty_;
};

// Retry delay after failed writes: `base` after a success, doubling per failure up to `cap`.
class RetryDelay {
 public:
  RetryDelay(Duration base, Duration cap) : base_(base), cap_(cap), current_(base) {}
  Duration next() const { return current_; }
  void failed() { current_ = std::min(cap_, current_ * 2); }
  void succeeded() { current_ = base_; }

 private:
  Duration base_;
  Duration cap_;
  Duration current_;
};

}  // namespace fedgate::gateway
