// sip_dialogs (schema/0006) through libpqxx 6.4: one transaction and one prepared statement per
// coalesced batch (the columns as arrays through unnest). Exceptions go up to DbPool, which
// turns them into StoreErrc.
#include "gateway/store/pg_sip_dialog_store.hpp"

#include <array>
#include <pqxx/pqxx>
#include <unordered_map>

#include "gateway/store/sql_array.hpp"

namespace fedgate::gateway {
namespace {

// Deletes ($8, by primary key) and upserts touch different usage keys (the batch is coalesced
// first), so the two parts of the one statement never meet on a row. An equal stored form is
// not rewritten.
constexpr const char* kWrite =
    "WITH gone AS (DELETE FROM sip_dialogs WHERE node_id = $1::text "
    "AND usage_key = ANY($8::text[])) "
    "INSERT INTO sip_dialogs (node_id, usage_key, kind, watcher, presentity, msrtc, state) "
    "SELECT $1::text, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], "
    "$6::boolean[], $7::text[]) ON CONFLICT (node_id, usage_key) DO UPDATE SET "
    "kind = EXCLUDED.kind, watcher = EXCLUDED.watcher, presentity = EXCLUDED.presentity, "
    "msrtc = EXCLUDED.msrtc, state = EXCLUDED.state, updated_at = now() "
    "WHERE (sip_dialogs.kind, sip_dialogs.watcher, sip_dialogs.presentity, sip_dialogs.msrtc, "
    "sip_dialogs.state) IS DISTINCT FROM (EXCLUDED.kind, EXCLUDED.watcher, "
    "EXCLUDED.presentity, EXCLUDED.msrtc, EXCLUDED.state)";

constexpr const char* kDelete =
    "DELETE FROM sip_dialogs WHERE node_id = $1 AND usage_key = ANY($2::text[])";

// The last row of each usage key, in batch order: what writing them one by one would leave.
std::vector<const SipDialogRow*> coalesce(const std::vector<SipDialogRow>& rows) {
  std::unordered_map<std::string_view, std::size_t> last;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    last[rows[i].usage_key] = i;
  }
  std::vector<const SipDialogRow*> out;
  out.reserve(last.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (last[rows[i].usage_key] == i) {
      out.push_back(&rows[i]);
    }
  }
  return out;
}

}  // namespace

SipDialogWriteCount write_sip_dialogs(pqxx::connection& c, const std::string& node_id,
                                      const std::vector<SipDialogRow>& rows) {
  SipDialogWriteCount count;
  if (rows.empty()) {
    return count;
  }
  std::array<SqlArray, 7> cols;  // six columns of the upserts, then the usage keys to delete
  for (const auto* r : coalesce(rows)) {
    if (r->state.empty()) {
      cols[6].add_text(r->usage_key);
      ++count.deletes;
      continue;
    }
    cols[0].add_text(r->usage_key);
    cols[1].add_text(r->kind);
    cols[2].add_text(r->watcher);
    cols[3].add_text(r->presentity);
    cols[4].add_bool(r->msrtc);
    cols[5].add_text(r->state);
    ++count.upserts;
  }
  c.prepare("sip_dialogs_write", kWrite);  // parsed once per connection
  pqxx::work tx{c};
  tx.exec_prepared("sip_dialogs_write", node_id, cols[0].take(), cols[1].take(), cols[2].take(),
                   cols[3].take(), cols[4].take(), cols[5].take(), cols[6].take());
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
  SqlArray keys;
  for (const auto& key : usage_keys) {
    keys.add_text(key);
  }
  pqxx::work tx{c};
  auto deleted = tx.exec_params(kDelete, node_id, keys.take()).affected_rows();
  tx.commit();
  return deleted;
}

}  // namespace fedgate::gateway
