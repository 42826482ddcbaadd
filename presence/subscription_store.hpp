// SubscriptionStore: the port through which the router persists bridged subscriptions, so a
// restarted node restores them at once (issue 5). Implemented by gateway/store on PostgreSQL
// (run on the DB pool, synchronously) and by InMemorySubscriptionStore for tests.
// RFC 6665 §4.1.3 states; the SIP dialog is opaque text owned by sip/dialog.
#pragma once

#include <cstdint>
#include <vector>

#include "presence/model/subscription.hpp"
#include "presence/port_errc.hpp"

namespace fedgate::presence {

class SubscriptionStore {
 public:
  virtual ~SubscriptionStore() = default;

  // Inserts when s.id == 0, else updates the row with that id. The pair (watcher,
  // presentity) is unique: saving a new subscription for an existing pair updates that row.
  // Returns the row id.
  virtual PortResult<std::int64_t> save(const Subscription& s) = 0;
  // Updates state, expires and sip_dialog of the row s.id; not_found when it is gone.
  virtual PortResult<Done> update(const Subscription& s) = 0;
  // Removes the row; removing an absent id is not an error (idempotent).
  virtual PortResult<Done> remove(std::int64_t id) = 0;
  // Every stored subscription, any order (start-up restore).
  virtual PortResult<std::vector<Subscription>> load_all() = 0;
};

}  // namespace fedgate::presence
