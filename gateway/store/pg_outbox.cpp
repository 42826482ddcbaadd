#include "gateway/store/pg_outbox.hpp"

#include <array>
#include <optional>
#include <pqxx/pqxx>
#include <unordered_set>

#include "gateway/store/port_errors.hpp"
#include "gateway/store/port_rows.hpp"
#include "gateway/store/sql_array.hpp"

namespace fedgate::gateway {
namespace {

using presence::ChatState;
using presence::DeliveryMode;
using presence::OutboundMessage;
using presence::PortErrc;
using presence::PortResult;

constexpr std::pair<DeliveryMode, std::string_view> kModes[] = {
    {DeliveryMode::xmpp_stanza, "xmpp_stanza"},
    {DeliveryMode::sip_session, "sip_session"},
    {DeliveryMode::sip_page, "sip_page"}};

std::string mode_name(DeliveryMode m) {
  for (const auto& [mode, name] : kModes) {
    if (mode == m) {
      return std::string{name};
    }
  }
  return "xmpp_stanza";
}

std::optional<DeliveryMode> parse_mode(std::string_view text) {
  for (const auto& [mode, name] : kModes) {
    if (name == text) {
      return mode;
    }
  }
  return std::nullopt;
}

std::optional<ChatState> parse_chat_state(std::string_view text) {
  for (auto s : {ChatState::none, ChatState::active, ChatState::composing, ChatState::paused,
                 ChatState::inactive, ChatState::gone}) {
    if (presence::to_string(s) == text) {
      return s;
    }
  }
  return std::nullopt;
}

std::optional<OutboundMessage> from_row(const pqxx::row& r) {
  auto from = presence::Address::parse(r[2].c_str());
  auto to = presence::Address::parse(r[3].c_str());
  auto mode = parse_mode(r[4].c_str());
  auto chat_state = parse_chat_state(r[10].c_str());
  if (!from || !to || !mode || !chat_state) {
    return std::nullopt;
  }
  OutboundMessage m;
  m.outbox_id = r[0].as<std::int64_t>();
  m.in_id = r[1].as<std::string>();
  m.from = *from;
  m.to = *to;
  m.mode = *mode;
  m.content = {r[5].as<std::string>(), r[6].as<std::string>(), r[7].as<std::string>(),
               r[8].as<std::string>(), r[9].as<std::string>(), *chat_state,
               r[11].as<std::string>()};
  return m;
}

// One statement for the whole batch: ids drawn from the sequence, rows inserted, the ids
// returned in the callers' order (WITH ORDINALITY; the CTE is evaluated once).
constexpr const char* kAcceptBatch =
    "WITH input AS MATERIALIZED (SELECT nextval('outbox_id_seq') AS id, u.* FROM unnest("
    "$1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], "
    "$8::text[], $9::text[], $10::text[], $11::text[]) WITH ORDINALITY AS u(in_id, sender, "
    "recipient, mode, body, formatted_body, formatted_type, subject, language, chat_state, "
    "thread, ord)), stored AS (INSERT INTO outbox (id, in_id, sender, recipient, mode, body, "
    "formatted_body, formatted_type, subject, language, chat_state, thread, node_id) "
    "SELECT id, in_id, sender, recipient, mode, body, formatted_body, formatted_type, subject, "
    "language, chat_state, thread, $12 FROM input) SELECT id FROM input ORDER BY ord";

// Delivered: every listed row still accepted or delivering; the ids that exist come back.
// Both parts are primary-key lookups under the prepared (generic) plan: `id = ANY($1)`, not a
// join with unnest() (planned as a scan of the table per id), and the state test written as
// NOT IN the two final states (the same rows: outbox_state_value, NOT NULL) so the planner
// cannot bring in the partial index outbox_undelivered, whose every entry since the last
// vacuum (dead ones included: 42,000 after a load run) a bitmap scan would read per call.
constexpr const char* kDeliveredBatch =
    "WITH changed AS (UPDATE outbox SET state = 'delivered', attempts = attempts + 1, "
    "updated_at = now() WHERE id = ANY($1::bigint[]) AND state NOT IN ('delivered', 'bounced') "
    "RETURNING id) SELECT id FROM outbox WHERE id = ANY($1::bigint[])";

using AcceptResults = PortResult<std::vector<PortResult<std::int64_t>>>;
using DoneResults = PortResult<std::vector<PortResult<presence::Done>>>;

std::array<std::string, 11> accept_columns(const std::vector<OutboundMessage>& batch) {
  std::array<SqlArray, 11> cols;
  for (const auto& m : batch) {
    const auto& k = m.content;
    cols[0].add_text(m.in_id);
    cols[1].add_text(m.from.full());
    cols[2].add_text(m.to.full());
    cols[3].add_text(mode_name(m.mode));
    cols[4].add_text(k.body);
    cols[5].add_text(k.formatted_body);
    cols[6].add_text(k.formatted_type);
    cols[7].add_text(k.subject);
    cols[8].add_text(k.language);
    cols[9].add_text(presence::to_string(k.chat_state));
    cols[10].add_text(k.thread);
  }
  std::array<std::string, 11> out;
  for (std::size_t i = 0; i < cols.size(); ++i) {
    out[i] = cols[i].take();
  }
  return out;
}

// The batch in one transaction; an id per message, or the store's error for all of them.
AcceptResults write_accepts(DbPool& pool, const std::string& node_id,
                            const std::vector<OutboundMessage>& batch) {
  auto c = accept_columns(batch);
  auto write = [&](pqxx::connection& conn) -> std::vector<PortResult<std::int64_t>> {
    conn.prepare("outbox_accept", kAcceptBatch);  // parsed once per connection
    pqxx::work tx{conn};
    auto rows = tx.exec_prepared("outbox_accept", c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7],
                                 c[8], c[9], c[10], node_id);
    tx.commit();
    std::vector<PortResult<std::int64_t>> ids;
    ids.reserve(rows.size());
    for (const auto& row : rows) {
      ids.emplace_back(row[0].as<std::int64_t>());
    }
    return ids;
  };
  auto ids = pool.run_blocking(write);
  if (!ids) {
    return to_port_errc(ids.error());
  }
  return std::move(*ids);
}

DoneResults write_delivered(DbPool& pool, const std::vector<std::int64_t>& ids) {
  SqlArray array;
  for (auto id : ids) {
    array.add_int(id);
  }
  auto list = array.take();
  auto write = [&](pqxx::connection& conn) -> std::unordered_set<std::int64_t> {
    conn.prepare("outbox_delivered", kDeliveredBatch);
    pqxx::work tx{conn};
    auto rows = tx.exec_prepared("outbox_delivered", list);
    tx.commit();
    std::unordered_set<std::int64_t> found;
    for (const auto& row : rows) {
      found.insert(row[0].as<std::int64_t>());
    }
    return found;
  };
  auto found = pool.run_blocking(write);
  if (!found) {
    return to_port_errc(found.error());
  }
  std::vector<PortResult<presence::Done>> out;
  out.reserve(ids.size());
  for (auto id : ids) {
    out.push_back(found->contains(id) ? PortResult<presence::Done>{presence::Done{}}
                                      : PortResult<presence::Done>{PortErrc::not_found});
  }
  return out;
}

}  // namespace

PgOutbox::PgOutbox(DbPool& pool, std::string node_id)
    : pool_(pool),
      node_id_(std::move(node_id)),
      accepts_(
          pool.executor(),
          [pool = &pool, node = node_id_](const std::vector<OutboundMessage>& batch) {
            return write_accepts(*pool, node, batch);
          },
          kMaxBatch),
      delivered_(
          pool.executor(),
          [pool = &pool](const std::vector<std::int64_t>& ids) {
            return write_delivered(*pool, ids);
          },
          kMaxBatch) {}

presence::PortResult<std::int64_t> PgOutbox::accept(const OutboundMessage& m) {
  auto ids = write_accepts(pool_, node_id_, std::vector<OutboundMessage>{m});
  if (!ids) {
    return ids.error();
  }
  return ids.value().at(0);
}

void PgOutbox::accept_async(const OutboundMessage& m, AcceptDone done) {
  accepts_.submit(m, std::move(done));
}

void PgOutbox::mark_delivered_async(std::int64_t id, FinishDone done) {
  delivered_.submit(id, std::move(done));
}

presence::PortResult<presence::Done> PgOutbox::finish(std::int64_t id, const char* state,
                                                      const presence::StanzaError* why) {
  auto write = [&](pqxx::connection& c) -> bool {
    pqxx::work tx{c};
    auto changed = tx.exec_params(
        "UPDATE outbox SET state = $2, bounce_condition = $3, bounce_text = $4, "
        "attempts = attempts + 1, updated_at = now() "
        "WHERE id = $1 AND state IN ('accepted', 'delivering')",
        id, std::string{state},
        why ? std::optional<std::string>{std::string{presence::to_string(why->condition)}}
            : std::nullopt,
        why ? std::optional<std::string>{why->text} : std::nullopt);
    bool exists = changed.affected_rows() == 1 ||
                  !tx.exec_params("SELECT 1 FROM outbox WHERE id = $1", id).empty();
    tx.commit();
    return exists;
  };
  auto exists = pool_.run_blocking(write);
  if (!exists) {
    return to_port_errc(exists.error());
  }
  if (!*exists) {
    return PortErrc::not_found;
  }
  return presence::Done{};
}

presence::PortResult<presence::Done> PgOutbox::mark_delivered(std::int64_t id) {
  auto done = write_delivered(pool_, {id});
  if (!done) {
    return done.error();
  }
  return done.value().at(0);
}

presence::PortResult<presence::Done> PgOutbox::mark_bounced(std::int64_t id,
                                                            const presence::StanzaError& why) {
  return finish(id, "bounced", &why);
}

presence::PortResult<std::vector<OutboundMessage>> PgOutbox::load_undelivered() {
  return load_rows<OutboundMessage>(
      pool_,
      "SELECT id, in_id, sender, recipient, mode, body, formatted_body, formatted_type, "
      "subject, language, chat_state, thread FROM outbox "
      "WHERE state IN ('accepted', 'delivering') ORDER BY id",
      from_row);
}

}  // namespace fedgate::gateway
