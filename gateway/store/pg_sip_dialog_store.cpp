// sip_dialogs (schema/0006) through libpqxx 6.4: one transaction per coalesced batch, one
// statement per row. Exceptions go up to DbPool, which turns them into StoreErrc.
#include "gateway/store/pg_sip_dialog_store.hpp"

#include <pqxx/pqxx>

namespace fedgate::gateway {

SipDialogWriteCount write_sip_dialogs(pqxx::connection& c, const std::string& node_id,
                                      const std::vector<SipDialogRow>& rows) {
  SipDialogWriteCount count;
  pqxx::work tx{c};
  for (const auto& r : rows) {
    if (r.state.empty()) {
      tx.exec_params("DELETE FROM sip_dialogs WHERE node_id = $1 AND usage_key = $2", node_id,
                     r.usage_key);
      ++count.deletes;
      continue;
    }
    tx.exec_params(
        "INSERT INTO sip_dialogs (node_id, usage_key, kind, watcher, presentity, msrtc, state) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (node_id, usage_key) DO UPDATE SET "
        "kind = EXCLUDED.kind, watcher = EXCLUDED.watcher, presentity = EXCLUDED.presentity, "
        "msrtc = EXCLUDED.msrtc, state = EXCLUDED.state, updated_at = now()",
        node_id, r.usage_key, r.kind, r.watcher, r.presentity, r.msrtc, r.state);
    ++count.upserts;
  }
  tx.commit();
  return count;
}

std::vector<SipDialogRow> load_sip_dialogs(pqxx::connection& c, const std::string& node_id) {
  pqxx::read_transaction tx{c};
  auto result = tx.exec_params(
      "SELECT usage_key, kind, watcher, presentity, msrtc, state FROM sip_dialogs "
      "WHERE node_id = $1 ORDER BY usage_key",
      node_id);
  std::vector<SipDialogRow> rows;
  rows.reserve(result.size());
  for (const auto& r : result) {
    rows.push_back(SipDialogRow{r[0].as<std::string>(), r[1].as<std::string>(),
                                r[2].as<std::string>(), r[3].as<std::string>(), r[4].as<bool>(),
                                r[5].as<std::string>()});
  }
  return rows;
}

std::size_t delete_sip_dialogs(pqxx::connection& c, const std::string& node_id,
                               const std::vector<std::string>& usage_keys) {
  pqxx::work tx{c};
  std::size_t deleted = 0;
  for (const auto& key : usage_keys) {
    deleted += tx.exec_params("DELETE FROM sip_dialogs WHERE node_id = $1 AND usage_key = $2",
                              node_id, key)
                   .affected_rows();
  }
  tx.commit();
  return deleted;
}

}  // namespace fedgate::gateway
