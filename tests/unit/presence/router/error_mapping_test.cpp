// RFC 7247 §7 error mapping: every row of Table 2 and Table 3, read from the RFC text
// (data/), checked against the implementation; plus diagnostic text extraction.
#include "presence/error_mapping.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <set>

#include "tests/unit/presence/router/rfc_table.hpp"

namespace fedgate::presence {
namespace {

using testing_support::read_rfc_table;

// "<bad-request/> (2)" → "bad-request"
std::string condition_name(const std::string& cell) {
  auto open = cell.find('<');
  auto close = cell.find("/>");
  return cell.substr(open + 1, close - open - 1);
}

TEST(ErrorMapping, EveryTable2RowXmppToSip) {
  auto rows = read_rfc_table("rfc7247-7.1-01-errors-xmpp.txt");
  ASSERT_EQ(rows.size(), 22u);
  for (const auto& [cell, codes] : rows) {
    auto c = error_condition_from_string(condition_name(cell));
    ASSERT_TRUE(c.has_value()) << cell;
    int code = sip_code_for(*c);
    if (codes.starts_with("see note")) {  // <service-unavailable/>: context, fedgate sends 503
      EXPECT_EQ(code, 503);
      continue;
    }
    auto first = std::atoi(codes.c_str());
    auto or_at = codes.find(" or ");
    auto second = or_at == std::string::npos ? first : std::atoi(codes.c_str() + or_at + 4);
    EXPECT_TRUE(code == first || code == second) << cell << " -> " << code << " not " << codes;
  }
}

TEST(ErrorMapping, EveryTable3RowSipToXmpp) {
  auto rows = read_rfc_table("rfc7247-7.2-01-errors-sip.txt");
  ASSERT_EQ(rows.size(), 52u);
  for (const auto& [code_cell, cell] : rows) {
    // A class row "4xx" is checked with a code of that class that has no row of its own.
    int code =
        code_cell.ends_with("xx") ? (code_cell[0] - '0') * 100 + 99 : std::atoi(code_cell.c_str());
    EXPECT_EQ(to_string(condition_for_sip(code)), condition_name(cell)) << code_cell;
  }
  EXPECT_EQ(sip_to_condition_table().size(), 52u);
}

TEST(ErrorMapping, Table2CoversEveryConditionOnce) {
  std::set<ErrorCondition> seen;
  for (const auto& row : condition_to_sip_table()) {
    EXPECT_TRUE(seen.insert(row.condition).second) << to_string(row.condition);
    EXPECT_GE(row.code, 300);
  }
  EXPECT_EQ(seen.size(), static_cast<std::size_t>(kErrorConditionCount));
}

TEST(ErrorMapping, SipFailureCarriesPeerDiagnostics) {
  auto e = stanza_error_from_sip(404, "Not Found", "399 lync.example \"No such user\"",
                                 "1003;reason=\"User does not exist\";source=\"sip.x\"");
  EXPECT_EQ(e.condition, ErrorCondition::item_not_found);
  EXPECT_EQ(e.text, "User does not exist");
  EXPECT_EQ(stanza_error_from_sip(480, "Temporarily Unavailable", "399 h \"Away\"").text, "Away");
  EXPECT_EQ(stanza_error_from_sip(503, "Service Unavailable").text, "Service Unavailable");
  EXPECT_EQ(ms_diagnostics_reason("2;reason=Plain;x=1"), "Plain");
}

TEST(ErrorMapping, StanzaErrorBecomesSipCodeAndWarning) {
  auto f = sip_error_from_stanza({ErrorCondition::remote_server_timeout, "say \"hi\"\n"},
                                 "gw.corp.example");
  EXPECT_EQ(f.code, 408);
  EXPECT_EQ(f.reason_phrase, "Request Timeout");
  EXPECT_EQ(f.warning, "399 gw.corp.example \"say \\\"hi\\\" \"");
  EXPECT_EQ(warning_text(f.warning), "say \"hi\" ");
  EXPECT_TRUE(sip_error_from_stanza({ErrorCondition::forbidden, ""}, "gw").warning.empty());
}

}  // namespace
}  // namespace fedgate::presence
