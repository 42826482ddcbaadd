#include "gateway/store/pg_presence_cache_store.hpp"

#include <pqxx/pqxx>

#include <map>
#include <optional>

#include "gateway/store/port_errors.hpp"

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

void write_endpoints(pqxx::work& tx, const std::string& address, const Presence& p) {
  tx.exec_params("DELETE FROM presence_cache_endpoints WHERE address = $1", address);
  int position = 0;
  for (const auto& e : p.endpoints) {
    tx.exec_params(
        "INSERT INTO presence_cache_endpoints (address, position, endpoint_id, availability, "
        "status_text, priority, lync_availability, publish_time) VALUES ($1, $2, $3, $4, $5, $6, "
        "$7, timestamptz 'epoch' + $8::bigint * interval '1 microsecond')",
        address, position++, e.id, std::string{presence::to_string(e.availability)},
        e.status_text, e.priority, e.lync_availability, to_micros(e.publish_time));
  }
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
  auto write = [&](pqxx::connection& c) -> bool {
    pqxx::work tx{c};
    auto address = p.entity.str();
    auto written = tx.exec_params(
        "INSERT INTO presence_cache (address, availability, status_text, publish_time) "
        "VALUES ($1, $2, $3, timestamptz 'epoch' + $4::bigint * interval '1 microsecond') "
        "ON CONFLICT (address) DO UPDATE SET availability = EXCLUDED.availability, "
        "status_text = EXCLUDED.status_text, publish_time = EXCLUDED.publish_time, "
        "updated_at = now() WHERE presence_cache.publish_time IS NULL "
        "OR EXCLUDED.publish_time IS NULL OR EXCLUDED.publish_time >= presence_cache.publish_time "
        "RETURNING 1",
        address, std::string{presence::to_string(p.availability)}, p.status_text,
        to_micros(p.publish_time));
    if (written.empty()) {
      return false;  // a stale document: the stored one is newer
    }
    write_endpoints(tx, address, p);
    tx.commit();
    return true;
  };
  auto written = pool_.run_blocking(write);
  if (!written) {
    return to_port_errc(written.error());
  }
  return *written;
}

presence::PortResult<std::vector<Presence>> PgPresenceCacheStore::read(
    const std::string* address) {
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
      by_address[r[0].c_str()] = {*entity, *availability, r[2].as<std::string>(), {},
                                  from_micros(r[3])};
    }
    for (const auto& r : tx.exec("SELECT address, endpoint_id, availability, status_text, "
                                 "priority, lync_availability, " + std::string{kMicros} +
                                 " FROM presence_cache_endpoints" + where +
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
