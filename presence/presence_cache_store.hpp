// PresenceCacheStore: the port persisting the last known presence of each remote and local
// entity, so probes are answered at once (RFC 6121 §4.3) after a restart. Implemented by
// gateway/store (PostgreSQL, DB pool) and InMemoryPresenceCacheStore for tests.
// Ordering rule: a document never overwrites a newer one (publish_time, MS-PRES publishTime).
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "presence/model/presence.hpp"
#include "presence/port_errc.hpp"

namespace fedgate::presence {

class PresenceCacheStore {
 public:
  virtual ~PresenceCacheStore() = default;

  // Upsert keyed by p.entity (bare). Conditional: when both the stored row and p carry a
  // publish_time and p's is older, nothing is written and false is returned (a stale
  // document, possibly from another node). Otherwise writes and returns true.
  virtual PortResult<bool> put(const Presence& p) = 0;
  // Every document of `batch` as put() would write it, all or none (one transaction where
  // the store has them): the number written, stale ones not counted. The default puts one
  // by one, so a failure may leave the earlier ones written; stores should override it.
  virtual PortResult<std::size_t> put_all(const std::vector<Presence>& batch) {
    std::size_t written = 0;
    for (const auto& p : batch) {
      auto one = put(p);
      if (!one) {
        return one.error();
      }
      written += *one ? 1 : 0;
    }
    return written;
  }
  virtual PortResult<std::optional<Presence>> get(const Address& entity) = 0;
  virtual PortResult<Done> remove(const Address& entity) = 0;
  virtual PortResult<std::vector<Presence>> load_all() = 0;
};

}  // namespace fedgate::presence
