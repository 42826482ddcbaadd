// Outbox: the port holding every instant message fedgate has accepted until it is delivered
// or bounced (DESIGN.md: never silently dropped). accept() is the durability point (STYLE.md
// B2 step 5). Implemented by gateway/store (group commit on the DB pool) and InMemoryOutbox.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "presence/model/error_condition.hpp"
#include "presence/model/message.hpp"
#include "presence/port_errc.hpp"

namespace fedgate::presence {

class Outbox {
 public:
  virtual ~Outbox() = default;

  // Stores the message; returns its new outbox id (> 0). Only after this succeeds may the
  // sender be told the message was accepted.
  virtual PortResult<std::int64_t> accept(const OutboundMessage& m) = 0;
  // Final states; both are idempotent, and not_found when the id was never accepted.
  virtual PortResult<Done> mark_delivered(std::int64_t id) = 0;
  virtual PortResult<Done> mark_bounced(std::int64_t id, const StanzaError& why) = 0;
  // Accepted and neither delivered nor bounced, oldest first (node start-up, retries).
  virtual PortResult<std::vector<OutboundMessage>> load_undelivered() = 0;

  // The same writes without holding a thread: `done` runs exactly once, on any thread, after
  // the write committed (or failed) — an adapter may commit many callers' writes together.
  // The defaults call the synchronous form in place (in-memory outbox, test fakes).
  using AcceptDone = std::function<void(PortResult<std::int64_t>)>;
  using FinishDone = std::function<void(PortResult<Done>)>;
  virtual void accept_async(const OutboundMessage& m, AcceptDone done) { done(accept(m)); }
  virtual void mark_delivered_async(std::int64_t id, FinishDone done) {
    done(mark_delivered(id));
  }
};

}  // namespace fedgate::presence
