// load_rows: the shared "read every row, convert each, or report corruption" step of the
// PostgreSQL implementations of the router's storage ports. Blocking: runs the query on the
// caller's thread through DbPool::run_blocking (start-up restore, never an I/O thread).
#pragma once

#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "gateway/store/db_pool.hpp"
#include "gateway/store/port_errors.hpp"
#include "presence/port_errc.hpp"

namespace fedgate::gateway {

// `convert(row) -> std::optional<T>`; a row that does not convert makes the whole read
// PortErrc::corrupt, a database failure maps through to_port_errc.
template <class T, class Convert>
presence::PortResult<std::vector<T>> load_rows(DbPool& pool, std::string sql, Convert convert) {
  auto read = [&sql, &convert](pqxx::connection& c) -> std::optional<std::vector<T>> {
    pqxx::read_transaction tx{c};
    auto rows = tx.exec(sql);
    std::vector<T> out;
    out.reserve(rows.size());
    for (const auto& r : rows) {
      auto value = convert(r);
      if (!value) {
        return std::nullopt;
      }
      out.push_back(std::move(*value));
    }
    return out;
  };
  auto all = pool.run_blocking(read);
  if (!all) {
    return to_port_errc(all.error());
  }
  if (!*all) {
    return presence::PortErrc::corrupt;
  }
  return std::move(**all);
}

}  // namespace fedgate::gateway
