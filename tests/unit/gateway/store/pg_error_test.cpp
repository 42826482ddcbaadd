// Classification of libpqxx exceptions into StoreErrc.
#include "gateway/store/pg_error.hpp"

#include <gtest/gtest.h>

#include <pqxx/except>
#include <stdexcept>

namespace fedgate::gateway {
namespace {

template <class E>
PgFailure classify(E e) {
  return classify_pg_exception(std::make_exception_ptr(e));
}

TEST(PgError, BrokenConnectionIsUnavailable) {
  auto f = classify(pqxx::broken_connection{"server closed the connection\nmore"});
  EXPECT_EQ(f.code, StoreErrc::unavailable);
  EXPECT_EQ(f.detail, "server closed the connection");
}

TEST(PgError, CheckViolationIsAConstraintViolationWithItsFirstLine) {
  auto f = classify(pqxx::check_violation{
      "ERROR:  violates check constraint \"x\"\nDETAIL:  Failing row contains (secret)", "q",
      "23514"});
  EXPECT_EQ(f.code, StoreErrc::constraint_violation);
  EXPECT_EQ(f.sqlstate, "23514");
  EXPECT_EQ(f.detail.find("secret"), std::string::npos);  // row data never reaches the log
}

TEST(PgError, AdminShutdownIsUnavailable) {
  auto f = classify(pqxx::sql_error{"terminating connection", "q", "57P01"});
  EXPECT_EQ(f.code, StoreErrc::unavailable);
}

TEST(PgError, OtherSqlErrorsAreQueryFailures) {
  auto f = classify(pqxx::undefined_table{"relation does not exist", "q", "42P01"});
  EXPECT_EQ(f.code, StoreErrc::query_failed);
}

TEST(PgError, AnyOtherExceptionIsAQueryFailure) {
  auto f = classify(std::runtime_error{"conversion"});
  EXPECT_EQ(f.code, StoreErrc::query_failed);
  EXPECT_EQ(f.detail, "conversion");
}

}  // namespace
}  // namespace fedgate::gateway
