// The sip_dialogs table (schema/0006): the SIP edge's subscription dialogs per node, written
// coalesced as they change and read back at start. Plain functions over one connection: run
// them through DbPool (a pool thread, never an I/O thread). `state` is opaque here.
#pragma once

#include <pqxx/connection>
#include <string>
#include <vector>

namespace fedgate::gateway {

struct SipDialogRow {
  std::string usage_key;
  std::string kind;  // "subscriber" or "notifier"
  std::string watcher;
  std::string presentity;
  bool msrtc = false;  // a notifier's watcher accepts msrtc-event-categories
  std::string state;   // empty in a write: the usage ended, delete the row
  friend bool operator==(const SipDialogRow&, const SipDialogRow&) = default;
};

// What one write carried: usages upserted and deleted (a usage key listed twice counts once:
// its last form is the one written). One transaction and at most one statement per call.
struct SipDialogWriteCount {
  std::size_t upserts = 0;
  std::size_t deletes = 0;
};

// Upserts the rows with a state and deletes those without, in one transaction, as if one by
// one in order (the last form of a usage wins). A row whose stored form is equal is left alone.
SipDialogWriteCount write_sip_dialogs(pqxx::connection& c, const std::string& node_id,
                                      const std::vector<SipDialogRow>& rows);
// Every row of `node_id`, by usage key.
std::vector<SipDialogRow> load_sip_dialogs(pqxx::connection& c, const std::string& node_id);
// Deletes rows of `node_id` by usage key (restored records found expired or unreadable).
std::size_t delete_sip_dialogs(pqxx::connection& c, const std::string& node_id,
                               const std::vector<std::string>& usage_keys);

}  // namespace fedgate::gateway
