// PgPresenceCacheStore: presence::PresenceCacheStore on PostgreSQL (presence_cache and
// presence_cache_endpoints), so a restarted node answers probes at once (RFC 6121 §4.3).
// A document never overwrites a newer one (the publish-time check is part of the upsert); a
// batch is one transaction. Synchronous like the port: on a DbPool thread, never an I/O thread.
#pragma once

#include "gateway/store/db_pool.hpp"
#include "presence/presence_cache_store.hpp"

namespace fedgate::gateway {

class PgPresenceCacheStore final : public presence::PresenceCacheStore {
 public:
  explicit PgPresenceCacheStore(DbPool& pool) : pool_(pool) {}

  presence::PortResult<bool> put(const presence::Presence& p) override;
  // One transaction, one prepared statement per run of distinct entities: all or none.
  presence::PortResult<std::size_t> put_all(const std::vector<presence::Presence>& batch) override;
  presence::PortResult<std::optional<presence::Presence>> get(
      const presence::Address& entity) override;
  presence::PortResult<presence::Done> remove(const presence::Address& entity) override;
  presence::PortResult<std::vector<presence::Presence>> load_all() override;

 private:
  presence::PortResult<std::vector<presence::Presence>> read(const std::string* address);
  DbPool& pool_;
};

}  // namespace fedgate::gateway
