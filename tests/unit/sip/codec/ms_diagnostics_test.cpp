// ms-diagnostics (MS-OCER) and Warning (RFC 3261 §20.43) header values.
#include "sip/codec/ms_diagnostics.hpp"

#include <gtest/gtest.h>

#include "sip/codec/warning_value.hpp"

namespace fedgate::sip {
namespace {

TEST(MsDiagnostics, ReadsCodeReasonAndSource) {
  auto d = parse_ms_diagnostics(
      "1033;reason=\"Previous hop federated peer did not report diagnostic information\";"
      "Domain=\"fabrikam.com\";PeerServer=\"edge.fabrikam.com\";source=\"edge.contoso.com\"");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->code, 1033u);
  EXPECT_EQ(d->reason(), "Previous hop federated peer did not report diagnostic information");
  EXPECT_EQ(d->source(), "edge.contoso.com");
  EXPECT_EQ(param_value(d->params, "domain"), "fabrikam.com");
  EXPECT_EQ(parse_ms_diagnostics(write_ms_diagnostics(*d)).value(), *d);
  EXPECT_FALSE(parse_ms_diagnostics("reason=\"x\""));
}

TEST(Warning, ReadsListsAndRoundTrips) {
  auto w = parse_warning("399 gw.example.org \"Bridge \\\"busy\\\"\", 301 proxy:5060 \"Incompatible\"");
  ASSERT_TRUE(w);
  ASSERT_EQ(w->size(), 2u);
  EXPECT_EQ((*w)[0], (WarningValue{399, "gw.example.org", "Bridge \"busy\""}));
  EXPECT_EQ((*w)[1].agent, "proxy:5060");
  EXPECT_EQ(parse_warning(write_warning(*w)).value(), *w);
  EXPECT_FALSE(parse_warning("3990 host \"x\""));
}

}  // namespace
}  // namespace fedgate::sip
