#include "gateway/store/pg_subscription_store.hpp"

#include <chrono>
#include <optional>
#include <pqxx/pqxx>

#include "gateway/store/port_errors.hpp"
#include "gateway/store/port_rows.hpp"

namespace fedgate::gateway {
namespace {

using presence::PortErrc;
using presence::Subscription;
using presence::SubscriptionState;

// WallTime ↔ microseconds since the epoch; {} (no SIP dialog) is 0 ↔ NULL.
std::int64_t to_micros(presence::WallTime t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
}

// The SQL for "microseconds parameter $N, 0 meaning NULL".
std::string expires_param(int n) {
  auto p = "$" + std::to_string(n) + "::bigint";
  return "CASE WHEN " + p + " = 0 THEN NULL ELSE timestamptz 'epoch' + " + p +
         " * interval '1 microsecond' END";
}

// The statements, each prepared once per connection (no parse per call).
struct Statements {
  std::string save_update =
      "UPDATE subscriptions SET watcher = $2, presentity = $3, state = $4, "
      "watcher_is_local = $5, expires_at = " +
      expires_param(6) +
      ", sip_dialog = $7, node_id = NULLIF($8, ''), updated_at = now() WHERE id = $1 "
      "RETURNING id";
  std::string save_insert =
      "INSERT INTO subscriptions (watcher, presentity, state, watcher_is_local, "
      "expires_at, sip_dialog, node_id) VALUES ($1, $2, $3, $4, " +
      expires_param(5) +
      ", $6, NULLIF($7, '')) ON CONFLICT (watcher, presentity) DO UPDATE SET "
      "state = EXCLUDED.state, watcher_is_local = EXCLUDED.watcher_is_local, "
      "expires_at = EXCLUDED.expires_at, sip_dialog = EXCLUDED.sip_dialog, "
      "node_id = EXCLUDED.node_id, updated_at = now() RETURNING id";
  std::string update = "UPDATE subscriptions SET state = $2, expires_at = " + expires_param(3) +
                       ", sip_dialog = $4, node_id = NULLIF($5, ''), updated_at = now() "
                       "WHERE id = $1";
  std::string remove = "DELETE FROM subscriptions WHERE id = $1";
};

const Statements& statements() {
  static const Statements s;
  return s;
}

void prepare(pqxx::connection& c) {
  const auto& s = statements();
  c.prepare("subscription_save_update", s.save_update);
  c.prepare("subscription_save_insert", s.save_insert);
  c.prepare("subscription_update", s.update);
  c.prepare("subscription_remove", s.remove);
}

std::optional<SubscriptionState> parse_state(std::string_view s) {
  for (auto state : {SubscriptionState::pending, SubscriptionState::active,
                     SubscriptionState::polite_block, SubscriptionState::terminated}) {
    if (presence::to_string(state) == s) {
      return state;
    }
  }
  return std::nullopt;
}

std::optional<Subscription> from_row(const pqxx::row& r) {
  auto watcher = presence::Address::parse(r[1].c_str());
  auto presentity = presence::Address::parse(r[2].c_str());
  auto state = parse_state(r[3].c_str());
  if (!watcher || !presentity || !state) {
    return std::nullopt;
  }
  Subscription s;
  s.id = r[0].as<std::int64_t>();
  s.watcher = *watcher;
  s.presentity = *presentity;
  s.state = *state;
  s.watcher_is_local = r[4].as<bool>();
  s.expires = presence::WallTime{std::chrono::microseconds{r[5].as<std::int64_t>()}};
  s.sip_dialog = r[6].as<std::string>();
  return s;
}

}  // namespace

presence::PortResult<std::int64_t> PgSubscriptionStore::save(const Subscription& s) {
  auto write = [&](pqxx::connection& c) -> std::int64_t {
    prepare(c);
    pqxx::work tx{c};
    auto state = std::string{presence::to_string(s.state)};
    auto rows =
        tx.exec_prepared("subscription_save_update", s.id, s.watcher.str(), s.presentity.str(),
                         state, s.watcher_is_local, to_micros(s.expires), s.sip_dialog, node_id_);
    if (rows.empty()) {
      rows =
          tx.exec_prepared("subscription_save_insert", s.watcher.str(), s.presentity.str(), state,
                           s.watcher_is_local, to_micros(s.expires), s.sip_dialog, node_id_);
    }
    tx.commit();
    return rows[0][0].as<std::int64_t>();
  };
  auto id = pool_.run_blocking(write);
  if (!id) {
    return to_port_errc(id.error());
  }
  return *id;
}

presence::PortResult<presence::Done> PgSubscriptionStore::update(const Subscription& s) {
  auto write = [&](pqxx::connection& c) -> bool {
    prepare(c);
    pqxx::work tx{c};
    auto rows =
        tx.exec_prepared("subscription_update", s.id, std::string{presence::to_string(s.state)},
                         to_micros(s.expires), s.sip_dialog, node_id_);
    tx.commit();
    return rows.affected_rows() == 1;
  };
  auto found = pool_.run_blocking(write);
  if (!found) {
    return to_port_errc(found.error());
  }
  if (!*found) {
    return PortErrc::not_found;
  }
  return presence::Done{};
}

presence::PortResult<presence::Done> PgSubscriptionStore::remove(std::int64_t id) {
  auto write = [&](pqxx::connection& c) {
    prepare(c);
    pqxx::work tx{c};
    tx.exec_prepared("subscription_remove", id);
    tx.commit();
  };
  auto done = pool_.run_blocking(write);
  if (!done) {
    return to_port_errc(done.error());
  }
  return presence::Done{};
}

presence::PortResult<std::vector<Subscription>> PgSubscriptionStore::load_all() {
  return load_rows<Subscription>(
      pool_,
      "SELECT id, watcher, presentity, state, watcher_is_local, "
      "coalesce((extract(epoch FROM expires_at) * 1000000)::bigint, 0), sip_dialog "
      "FROM subscriptions",
      from_row);
}

}  // namespace fedgate::gateway
