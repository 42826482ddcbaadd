// PgOutbox: presence::Outbox on PostgreSQL (table outbox). accept() is the IM durability
// point: committed before the sender hears "accepted" (DESIGN.md, STYLE.md B2). The async forms
// group-commit concurrent accepts (and delivered marks) into one transaction on the DbPool.
// The synchronous forms block: call them on a DbPool thread, never on an I/O thread.
#pragma once

#include <memory>

#include "gateway/store/db_pool.hpp"
#include "gateway/store/group_commit.hpp"
#include "presence/outbox.hpp"

namespace fedgate::gateway {

class PgOutbox final : public presence::Outbox {
 public:
  // At most this many rows per group-commit transaction.
  static constexpr std::size_t kMaxBatch = 256;

  // `node_id` is recorded with each accepted message (which node took it in).
  PgOutbox(DbPool& pool, std::string node_id);

  presence::PortResult<std::int64_t> accept(const presence::OutboundMessage& m) override;
  presence::PortResult<presence::Done> mark_delivered(std::int64_t id) override;
  presence::PortResult<presence::Done> mark_bounced(std::int64_t id,
                                                    const presence::StanzaError& why) override;
  presence::PortResult<std::vector<presence::OutboundMessage>> load_undelivered() override;

  void accept_async(const presence::OutboundMessage& m, AcceptDone done) override;
  void mark_delivered_async(std::int64_t id, FinishDone done) override;

 private:
  presence::PortResult<presence::Done> finish(std::int64_t id, const char* state,
                                              const presence::StanzaError* why);
  DbPool& pool_;
  std::string node_id_;
  GroupCommit<presence::OutboundMessage, std::int64_t> accepts_;
  GroupCommit<std::int64_t, presence::Done> delivered_;
};

}  // namespace fedgate::gateway
