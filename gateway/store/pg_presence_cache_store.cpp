#include "gateway/store/pg_presence_cache_store.hpp"

#include <array>
#include <map>
#include <optional>
#include <pqxx/pqxx>
#include <unordered_set>

#include "gateway/store/port_errors.hpp"
#include "gateway/store/sql_array.hpp"

namespace fedgate::gateway {
namespace {

using presence::PortErrc;
using presence::Presence;

// optional<WallTime> ↔ microseconds since the epoch, NULL when absent.
std::optional<std::int64_t> to_micros(const std::optional<presence::WallTime>& t) {
  if (!t) {
    return std::nullopt;
  }
  return std::chrono::duration_cast<std::chrono::microseconds>(t->time_since_epoch()).count();
}

std::optional<presence::WallTime> from_micros(const pqxx::field& f) {
  if (f.is_null()) {
    return std::nullopt;
  }
  return presence::WallTime{std::chrono::microseconds{f.as<std::int64_t>()}};
}

constexpr char kMicros[] = "(extract(epoch FROM publish_time) * 1000000)::bigint";

// A batch of documents in ONE statement: the rows upserted under the publish-time rule, then
// only for the rows written, their endpoints upserted by position and the positions beyond the
// new count deleted (the two endpoint parts touch different rows). Equal endpoints are left
// alone. Addresses must be distinct within one execution (see chunks()).
constexpr const char* kPutBatch =
    "WITH doc AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], "
    "$13::integer[]) AS u(address, availability, status_text, micros, endpoints)), "
    "written AS (INSERT INTO presence_cache (address, availability, status_text, publish_time) "
    "SELECT address, availability, status_text, timestamptz 'epoch' + micros * "
    "interval '1 microsecond' FROM doc ON CONFLICT (address) DO UPDATE SET "
    "availability = EXCLUDED.availability, status_text = EXCLUDED.status_text, "
    "publish_time = EXCLUDED.publish_time, updated_at = now() "
    "WHERE presence_cache.publish_time IS NULL OR EXCLUDED.publish_time IS NULL "
    "OR EXCLUDED.publish_time >= presence_cache.publish_time RETURNING address), "
    "ep AS (SELECT * FROM unnest($5::text[], $6::integer[], $7::text[], $8::text[], $9::text[], "
    "$10::integer[], $11::integer[], $12::bigint[]) AS e(address, position, endpoint_id, "
    "availability, status_text, priority, lync_availability, micros)), "
    "trimmed AS (DELETE FROM presence_cache_endpoints e USING written w JOIN doc d USING "
    "(address) WHERE e.address = w.address AND e.position >= d.endpoints), "
    "stored AS (INSERT INTO presence_cache_endpoints AS pe (address, position, endpoint_id, "
    "availability, status_text, priority, lync_availability, publish_time) SELECT ep.address, "
    "position, endpoint_id, availability, status_text, priority, lync_availability, "
    "timestamptz 'epoch' + micros * interval '1 microsecond' FROM ep JOIN written USING "
    "(address) ON CONFLICT (address, position) DO UPDATE SET endpoint_id = EXCLUDED.endpoint_id, "
    "availability = EXCLUDED.availability, status_text = EXCLUDED.status_text, "
    "priority = EXCLUDED.priority, lync_availability = EXCLUDED.lync_availability, "
    "publish_time = EXCLUDED.publish_time WHERE (pe.endpoint_id, pe.availability, "
    "pe.status_text, pe.priority, pe.lync_availability, pe.publish_time) IS DISTINCT FROM "
    "(EXCLUDED.endpoint_id, EXCLUDED.availability, EXCLUDED.status_text, EXCLUDED.priority, "
    "EXCLUDED.lync_availability, EXCLUDED.publish_time)) "
    "SELECT count(*) FROM written";

// The batch statement's thirteen array parameters for `docs`.
std::array<std::string, 13> put_columns(const std::vector<const Presence*>& docs) {
  std::array<SqlArray, 13> c;
  for (const auto* p : docs) {
    auto address = p->entity.str();
    c[0].add_text(address);
    c[1].add_text(presence::to_string(p->availability));
    c[2].add_text(p->status_text);
    c[3].add_int(to_micros(p->publish_time));
    c[12].add_int(static_cast<std::int64_t>(p->endpoints.size()));
    std::int64_t position = 0;
    for (const auto& e : p->endpoints) {
      c[4].add_text(address);
      c[5].add_int(position++);
      c[6].add_text(e.id);
      c[7].add_text(presence::to_string(e.availability));
      c[8].add_text(e.status_text);
      c[9].add_int(e.priority);
      c[10].add_int(e.lync_availability ? std::optional<std::int64_t>{*e.lync_availability}
                                        : std::nullopt);
      c[11].add_int(to_micros(e.publish_time));
    }
  }
  std::array<std::string, 13> out;
  for (std::size_t i = 0; i < c.size(); ++i) {
    out[i] = c[i].take();
  }
  return out;
}

// The batch cut where an address repeats: each piece has distinct addresses (one upsert may
// not touch a row twice); pieces run in order, so a later document meets the earlier one.
std::vector<std::vector<const Presence*>> chunks(const std::vector<Presence>& batch) {
  std::vector<std::vector<const Presence*>> out(1);
  std::unordered_set<std::string> seen;
  for (const auto& p : batch) {
    if (!seen.insert(p.entity.str()).second) {
      out.emplace_back();
      seen = {p.entity.str()};
    }
    out.back().push_back(&p);
  }
  return out;
}

bool parse_endpoint(const pqxx::row& r, Presence& p) {
  auto availability = presence::availability_from_string(r[2].c_str());
  if (!availability) {
    return false;
  }
  presence::EndpointPresence e;
  e.id = r[1].as<std::string>();
  e.availability = *availability;
  e.status_text = r[3].as<std::string>();
  e.priority = r[4].as<int>();
  if (!r[5].is_null()) {
    e.lync_availability = r[5].as<int>();
  }
  e.publish_time = from_micros(r[6]);
  p.endpoints.push_back(std::move(e));
  return true;
}

}  // namespace

presence::PortResult<bool> PgPresenceCacheStore::put(const Presence& p) {
  auto written = put_all({p});
  if (!written) {
    return written.error();
  }
  return *written == 1;  // 0: a stale document, the stored one is newer
}

presence::PortResult<std::size_t> PgPresenceCacheStore::put_all(
    const std::vector<Presence>& batch) {
  if (batch.empty()) {
    return std::size_t{0};
  }
  auto pieces = chunks(batch);
  auto write = [&pieces](pqxx::connection& c) -> std::size_t {
    c.prepare("presence_cache_put", kPutBatch);  // parsed once per connection
    pqxx::work tx{c};
    std::size_t written = 0;
    for (const auto& piece : pieces) {
      auto a = put_columns(piece);
      auto rows = tx.exec_prepared("presence_cache_put", a[0], a[1], a[2], a[3], a[4], a[5], a[6],
                                   a[7], a[8], a[9], a[10], a[11], a[12]);
      written += rows[0][0].as<std::size_t>();
    }
    tx.commit();
    return written;
  };
  auto written = pool_.run_blocking(write);
  if (!written) {
    return to_port_errc(written.error());
  }
  return *written;
}

presence::PortResult<std::vector<Presence>> PgPresenceCacheStore::read(const std::string* address) {
  auto query = [&](pqxx::connection& c) -> std::optional<std::vector<Presence>> {
    pqxx::read_transaction tx{c};
    std::string where = address ? " WHERE address = " + tx.quote(*address) : "";
    std::map<std::string, Presence> by_address;
    for (const auto& r : tx.exec("SELECT address, availability, status_text, " +
                                 std::string{kMicros} + " FROM presence_cache" + where)) {
      auto entity = presence::Address::parse(r[0].c_str());
      auto availability = presence::availability_from_string(r[1].c_str());
      if (!entity || !availability) {
        return std::nullopt;
      }
      by_address[r[0].c_str()] = {
          *entity, *availability, r[2].as<std::string>(), {}, from_micros(r[3])};
    }
    for (const auto& r : tx.exec("SELECT address, endpoint_id, availability, status_text, "
                                 "priority, lync_availability, " +
                                 std::string{kMicros} + " FROM presence_cache_endpoints" + where +
                                 " ORDER BY address, position")) {
      auto it = by_address.find(r[0].c_str());
      if (it == by_address.end() || !parse_endpoint(r, it->second)) {
        return std::nullopt;
      }
    }
    std::vector<Presence> out;
    for (auto& [key, p] : by_address) {
      out.push_back(std::move(p));
    }
    return out;
  };
  auto rows = pool_.run_blocking(query);
  if (!rows) {
    return to_port_errc(rows.error());
  }
  if (!*rows) {
    return PortErrc::corrupt;
  }
  return std::move(**rows);
}

presence::PortResult<std::optional<Presence>> PgPresenceCacheStore::get(
    const presence::Address& entity) {
  auto address = entity.str();
  auto rows = read(&address);
  if (!rows) {
    return rows.error();
  }
  if (rows.value().empty()) {
    return std::optional<Presence>{};
  }
  return std::optional<Presence>{std::move(rows.value().front())};
}

presence::PortResult<presence::Done> PgPresenceCacheStore::remove(const presence::Address& entity) {
  auto write = [&](pqxx::connection& c) {
    pqxx::work tx{c};
    tx.exec_params("DELETE FROM presence_cache WHERE address = $1", entity.str());
    tx.commit();
  };
  auto done = pool_.run_blocking(write);
  if (!done) {
    return to_port_errc(done.error());
  }
  return presence::Done{};
}

presence::PortResult<std::vector<Presence>> PgPresenceCacheStore::load_all() {
  return read(nullptr);
}

}  // namespace fedgate::gateway
