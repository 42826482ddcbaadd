// SipEdgePersist: subscription dialogs into sip_dialogs (coalesced per usage, one transaction
// per interval) and back at start into the agent and the dialog book. Also SipEdge::persist_to.
// The window: a usage created or changed less than one interval (plus the write) before a
// kill -9 is not stored; its partner gets 481 and re-subscribes (RFC 6665 §4.1.3).
#include "gateway/app/sip_edge_persist.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <set>

#include "gateway/app/sip_edge.hpp"

// GCC 12 (-O1, ASan): Asio coroutine frame new/delete false positive (see sip_net).
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

namespace fedgate::gateway {

namespace asio = boost::asio;

SipDialogStoreMetrics::SipDialogStoreMetrics(MetricsRegistry& r)
    : changes(r.counter("fedgate_sip_dialog_changes_total",
                        "SIP subscription usage changes reported for storage")),
      writes(r.counter("fedgate_sip_dialog_writes_total",
                       "Write transactions to sip_dialogs (one per coalesced flush)")),
      rows(r.counter("fedgate_sip_dialog_rows_total", "sip_dialogs rows upserted or deleted")),
      failures(r.counter("fedgate_sip_dialog_write_failures_total",
                         "sip_dialogs flushes that failed (retried)")),
      restored(r.counter("fedgate_sip_dialog_restored_total",
                         "SIP subscription usages restored at start")) {}

SipEdgePersist::SipEdgePersist(asio::strand<asio::any_io_executor> strand, DbPool& db,
                               std::string node_id, TaskGroup& tasks, MetricsRegistry& metrics,
                               Logger log, SipDialogBook& book, Duration interval)
    : strand_(std::move(strand)),
      db_(db),
      node_id_(std::move(node_id)),
      tasks_(tasks),
      metrics_(metrics),
      log_(std::move(log)),
      book_(book),
      interval_(interval) {}

SipDialogRow SipEdgePersist::row_for(const sip::UsageRecord& r, bool msrtc) {
  SipDialogRow row;
  row.usage_key = sip::usage_key(r.kind, r.dialog);
  row.kind = std::string(sip::to_string(r.kind));
  row.watcher = r.watcher.str();
  row.presentity = r.presentity.str();
  row.msrtc = msrtc;
  row.state = r.data;
  return row;
}

sip::UsageRecord SipEdgePersist::record_for(const SipDialogRow& row) {
  sip::UsageRecord r;
  r.kind = row.kind == "notifier" ? sip::UsageKind::notifier : sip::UsageKind::subscriber;
  if (auto watcher = presence::Address::parse(row.watcher)) {
    r.watcher = *watcher;
  }
  if (auto presentity = presence::Address::parse(row.presentity)) {
    r.presentity = *presentity;
  }
  r.data = row.state;
  return r;
}

void SipEdgePersist::start(sip::SipAgent& agent) {
  auto load = [this](pqxx::connection& c) { return load_sip_dialogs(c, node_id_); };
  auto rows = db_.run_blocking(load);
  if (!rows) {
    log_.error("sip.edge.dialogs_not_loaded", {{"error", rows.error().message()}});
    sip::AgentPersist::set_sink(agent, this);
    return;
  }
  std::vector<sip::UsageRecord> records;
  records.reserve(rows->size());
  for (const auto& row : *rows) {
    records.push_back(record_for(row));
  }
  sip::RestoreReport report = sip::AgentPersist::restore_now(agent, std::move(records));
  metrics_.restored.inc(report.restored.size());
  rebuild_book(report, *rows);
  forget_unrestored(report, *rows);
  sip::AgentPersist::set_sink(agent, this);
}

void SipEdgePersist::forget_unrestored(const sip::RestoreReport& report,
                                       const std::vector<SipDialogRow>& rows) {
  std::set<std::string> kept;
  for (const auto& r : report.restored) {
    kept.insert(sip::usage_key(r.kind, r.dialog));
  }
  for (const auto& row : rows) {
    if (!kept.count(row.usage_key)) {
      note_gone(row.usage_key);  // expired, terminated or unreadable: the row goes
    }
  }
}

void SipEdgePersist::rebuild_book(const sip::RestoreReport& report,
                                  const std::vector<SipDialogRow>& rows) {
  std::map<std::string, bool> msrtc;
  for (const auto& row : rows) {
    msrtc[row.usage_key] = row.msrtc;
  }
  for (const auto& r : report.restored) {
    Watching w{r.watcher, r.presentity};
    if (r.kind == sip::UsageKind::notifier) {
      NotifierRecord n;
      n.dialog = r.dialog;
      n.msrtc = msrtc[sip::usage_key(r.kind, r.dialog)];
      book_.add_notifier(w, std::move(n));
    } else {
      book_.add_subscriber(w, r.dialog);
      if (auto* held = book_.subscriber(w)) {
        held->state = presence::SubscriptionState::active;
        held->expires = std::chrono::system_clock::now() + std::chrono::minutes(10);
      }
    }
  }
  log_.info("sip.edge.dialogs_restored", {{"notifiers", report.notifiers},
                                          {"subscribers", report.subscribers},
                                          {"expired", report.expired},
                                          {"corrupt", report.corrupt}});
}

void SipEdgePersist::on_usage(sip::UsageRecord record) {
  asio::post(strand_, [this, r = std::move(record)]() mutable { note(std::move(r)); });
}

void SipEdgePersist::note(sip::UsageRecord record) {
  metrics_.changes.inc();
  bool msrtc = false;
  if (record.kind == sip::UsageKind::notifier && !record.ended()) {
    const auto* n = book_.notifier(Watching{record.watcher, record.presentity});
    msrtc = n != nullptr && n->msrtc;
  }
  SipDialogRow row = row_for(record, msrtc);
  std::string key = row.usage_key;
  dirty_.insert_or_assign(std::move(key), std::move(row));
  schedule();
}

void SipEdgePersist::note_gone(const std::string& usage_key) {
  SipDialogRow row;
  row.usage_key = usage_key;
  dirty_.insert_or_assign(usage_key, std::move(row));
  schedule();
}

void SipEdgePersist::schedule() {
  if (!flushing_) {
    flushing_ = true;
    tasks_.spawn("sip_edge.dialog_flush",
                 asio::co_spawn(strand_, flush_loop(), asio::use_awaitable));
  }
}

// One transaction per interval with the latest form of every usage changed meanwhile; a
// failed write keeps its rows for the next round (a newer form of a usage replaces them).
asio::awaitable<void> SipEdgePersist::flush_loop() {
  asio::steady_timer timer(strand_);
  while (!dirty_.empty()) {
    timer.expires_after(interval_);
    auto [ec] = co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    if (ec) {
      break;  // stopping: what is not written yet is the documented window
    }
    std::vector<SipDialogRow> batch;
    batch.reserve(dirty_.size());
    for (auto& [key, row] : dirty_) {
      batch.push_back(std::move(row));
    }
    dirty_.clear();
    auto write = [this, batch](pqxx::connection& c) {
      return write_sip_dialogs(c, node_id_, batch);
    };
    auto writing = db_.run(std::move(write));
    auto written = co_await std::move(writing);
    if (!written) {
      metrics_.failures.inc();
      log_.warn("sip.edge.dialogs_not_written", {{"error", written.error().message()}});
      for (auto& row : batch) {
        std::string key = row.usage_key;
        dirty_.try_emplace(std::move(key), std::move(row));
      }
      continue;
    }
    metrics_.writes.inc();
    metrics_.rows.inc(written->upserts + written->deletes);
  }
  flushing_ = false;
}

void SipEdge::persist_to(DbPool& db) {
  persist_ = std::make_unique<SipEdgePersist>(strand_, db, config_.node_id, tasks_, registry_, log_,
                                              book_);
}

}  // namespace fedgate::gateway
