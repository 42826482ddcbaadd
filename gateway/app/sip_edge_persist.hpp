// SipEdgePersist: the SIP edge's subscription dialogs in PostgreSQL (sip_dialogs, schema/0006),
// so that after kill -9 and a restart partners' NOTIFYs are accepted and watchers are NOTIFYed
// in the same dialogs (RFC 6665 §4.1.2.1, §4.2.2). The SipAgent's UsageSink: changes are
// coalesced per usage on the edge strand and written through the DbPool. Owned by SipEdge.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/strand.hpp>
#include <map>
#include <string>
#include <vector>

#include "gateway/app/sip_edge_book.hpp"
#include "gateway/base/clock.hpp"
#include "gateway/base/log.hpp"
#include "gateway/base/metrics.hpp"
#include "gateway/base/task_group.hpp"
#include "gateway/store/db_pool.hpp"
#include "gateway/store/pg_sip_dialog_store.hpp"
#include "sip/bridge/agent.hpp"
#include "sip/bridge/agent_persist.hpp"

namespace fedgate::gateway {

// Counters of the dialog store (fedgate_sip_dialog_*): what the coalescing saves.
struct SipDialogStoreMetrics {
  explicit SipDialogStoreMetrics(MetricsRegistry& r);
  Counter& changes;   // usage changes the agent reported
  Counter& writes;    // transactions (one per flush)
  Counter& rows;      // rows upserted or deleted
  Counter& failures;  // flushes that failed (retried at the next interval)
  Counter& restored;  // usages restored at start
};

class SipEdgePersist final : public sip::UsageSink {
 public:
  // `strand` is the edge's strand (the book lives there); `interval`: at most one write
  // transaction per interval, carrying the latest form of every usage changed meanwhile.
  SipEdgePersist(boost::asio::strand<boost::asio::any_io_executor> strand, DbPool& db,
                 std::string node_id, TaskGroup& tasks, MetricsRegistry& metrics, Logger log,
                 SipDialogBook& book, Duration interval = std::chrono::milliseconds(200));

  // Start-up, before the listeners accept and before the io_context runs (nothing runs on the
  // agent's or the edge's strand yet): reads this node's rows (blocking), restores them into
  // the agent and the book, queues the deletion of rows not restored, becomes the agent's
  // sink. A failed read is logged and the node starts without them (partners then get 481
  // and re-subscribe).
  void start(sip::SipAgent& agent);

  // sip::UsageSink (agent strand): copied onto the edge strand.
  void on_usage(sip::UsageRecord record) override;

  // The row a record becomes (msrtc from the book's notifier record); pure.
  static SipDialogRow row_for(const sip::UsageRecord& r, bool msrtc);
  // The record a stored row gives back to the agent.
  static sip::UsageRecord record_for(const SipDialogRow& row);

 private:
  void forget_unrestored(const sip::RestoreReport& report, const std::vector<SipDialogRow>& rows);
  void rebuild_book(const sip::RestoreReport& report, const std::vector<SipDialogRow>& rows);
  void note(sip::UsageRecord record);  // edge strand, as the next three
  void note_gone(const std::string& usage_key);
  void schedule();
  boost::asio::awaitable<void> flush_loop();

  boost::asio::strand<boost::asio::any_io_executor> strand_;
  DbPool& db_;
  std::string node_id_;
  TaskGroup& tasks_;
  SipDialogStoreMetrics metrics_;
  Logger log_;
  SipDialogBook& book_;
  Duration interval_;
  std::map<std::string, SipDialogRow> dirty_;  // by usage key: the latest form only
  bool flushing_ = false;
};

}  // namespace fedgate::gateway
