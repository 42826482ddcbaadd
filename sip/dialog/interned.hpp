// Interning of the configuration every dialog usage of a node shares (local Via and Contact,
// Event, Accept, Supported): equal values share one immutable copy, so an idle subscription
// holds a pointer instead of its own copy. Owned by sip_core; thread-safe (one mutex per type).
#pragma once

#include <algorithm>
#include <memory>
#include <mutex>
#include <vector>

namespace fedgate::sip {

// The shared copy of `value`: an existing one when an equal value is alive, else a new one.
// The pool holds weak references only; expired entries are dropped on the next call.
template <class T>
std::shared_ptr<const T> intern(T value) {
  static std::mutex mutex;
  static std::vector<std::weak_ptr<const T>> pool;
  std::lock_guard lock{mutex};
  std::erase_if(pool, [](const std::weak_ptr<const T>& w) { return w.expired(); });
  for (const auto& w : pool) {
    if (auto alive = w.lock(); alive && *alive == value) {
      return alive;
    }
  }
  auto made = std::make_shared<const T>(std::move(value));
  pool.push_back(made);
  return made;
}

}  // namespace fedgate::sip
