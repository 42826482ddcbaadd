#include "gateway/store/pg_error.hpp"

#include <pqxx/except>


namespace fedgate::gateway {
namespace {

std::string first_line(const std::string& text) {
  auto end = text.find('\n');
  return end == std::string::npos ? text : text.substr(0, end);
}

}  // namespace

PgFailure classify_pg_exception(std::exception_ptr error) {
  try {
    std::rethrow_exception(error);
  } catch (const pqxx::broken_connection& e) {
    return {StoreErrc::unavailable, first_line(e.what()), {}};
  } catch (const pqxx::integrity_constraint_violation& e) {
    return {StoreErrc::constraint_violation, first_line(e.what()), e.sqlstate()};
  } catch (const pqxx::sql_error& e) {
    auto state = e.sqlstate();
    // Class 08: connection exceptions; 57P01..57P03: the server is shutting down.
    bool gone = state.rfind("08", 0) == 0 || state.rfind("57P0", 0) == 0;
    return {gone ? StoreErrc::unavailable : StoreErrc::query_failed, first_line(e.what()), state};
  } catch (const std::exception& e) {
    return {StoreErrc::query_failed, first_line(e.what()), {}};
  } catch (...) {
    return {StoreErrc::query_failed, "unknown exception", {}};
  }
}

}  // namespace fedgate::gateway
