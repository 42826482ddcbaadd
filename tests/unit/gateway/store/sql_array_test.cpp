// SqlArray: the array literals the batch statements send (PostgreSQL's array input syntax).
#include "gateway/store/sql_array.hpp"

#include <gtest/gtest.h>

namespace fedgate::gateway {
namespace {

TEST(SqlArray, AnEmptyArrayIsBraces) {
  SqlArray a;
  EXPECT_EQ(a.take(), "{}");
  EXPECT_EQ(a.size(), 0u);
}

TEST(SqlArray, TextIsQuotedWithQuoteAndBackslashEscaped) {
  SqlArray a;
  a.add_text("plain");
  a.add_text("");
  a.add_text("a\"b\\c,{d} NULL");
  EXPECT_EQ(a.size(), 3u);
  EXPECT_EQ(a.take(), R"({"plain","","a\"b\\c,{d} NULL"})");
}

TEST(SqlArray, NumbersBooleansAndNullsAreBare) {
  SqlArray a;
  a.add_int(-42);
  a.add_int(std::optional<std::int64_t>{});
  a.add_int(std::optional<std::int64_t>{7});
  a.add_bool(true);
  a.add_bool(false);
  a.add_null();
  EXPECT_EQ(a.take(), "{-42,NULL,7,t,f,NULL}");
}

TEST(SqlArray, TakeLeavesTheBuilderEmpty) {
  SqlArray a;
  a.add_int(1);
  EXPECT_EQ(a.take(), "{1}");
  a.add_int(2);
  EXPECT_EQ(a.take(), "{2}");
}

}  // namespace
}  // namespace fedgate::gateway
