// PgSubscriptionStore: presence::SubscriptionStore on PostgreSQL (table subscriptions), so a
// restarted node restores every bridged subscription at once (issue 5). Synchronous like the
// port: call it on a DbPool thread (co_spawn onto DbPool::executor()), never on an I/O thread.
#pragma once

#include <string>

#include "gateway/store/db_pool.hpp"
#include "presence/subscription_store.hpp"

namespace fedgate::gateway {

class PgSubscriptionStore final : public presence::SubscriptionStore {
 public:
  // `node_id` is recorded with each row the store writes (which node holds the subscription);
  // empty: NULL.
  explicit PgSubscriptionStore(DbPool& pool, std::string node_id = {})
      : pool_(pool), node_id_(std::move(node_id)) {}

  presence::PortResult<std::int64_t> save(const presence::Subscription& s) override;
  presence::PortResult<presence::Done> update(const presence::Subscription& s) override;
  presence::PortResult<presence::Done> remove(std::int64_t id) override;
  presence::PortResult<std::vector<presence::Subscription>> load_all() override;

 private:
  DbPool& pool_;
  std::string node_id_;
};

}  // namespace fedgate::gateway
