// PgOutbox: presence::Outbox on PostgreSQL (table outbox). accept() is the IM durability
// point: one INSERT, committed before the sender hears "accepted" (DESIGN.md, STYLE.md B2).
// Synchronous like the port: call it on a DbPool thread, never on an I/O thread.
#pragma once

#include "gateway/store/db_pool.hpp"
#include "presence/outbox.hpp"

namespace fedgate::gateway {

class PgOutbox final : public presence::Outbox {
 public:
  // `node_id` is recorded with each accepted message (which node took it in).
  PgOutbox(DbPool& pool, std::string node_id) : pool_(pool), node_id_(std::move(node_id)) {}

  presence::PortResult<std::int64_t> accept(const presence::OutboundMessage& m) override;
  presence::PortResult<presence::Done> mark_delivered(std::int64_t id) override;
  presence::PortResult<presence::Done> mark_bounced(std::int64_t id,
                                                    const presence::StanzaError& why) override;
  presence::PortResult<std::vector<presence::OutboundMessage>> load_undelivered() override;

 private:
  presence::PortResult<presence::Done> finish(std::int64_t id, const char* state,
                                              const presence::StanzaError* why);
  DbPool& pool_;
  std::string node_id_;
};

}  // namespace fedgate::gateway
