// CounterCache (sip/bridge/counter_cache.hpp): the registry's own counter per label values,
// found again on later calls, and rendered with the labels it was created with.
#include "sip/bridge/counter_cache.hpp"

#include <gtest/gtest.h>

namespace fedgate::sip {
namespace {

TEST(CounterCache, SameLabelValuesSameRegistryCounter) {
  MetricsRegistry registry;
  CounterCache cache{registry, "fedgate_test_requests_total", "requests", {"method", "direction"}};
  cache.get("NOTIFY", "in").inc();
  cache.get("NOTIFY", "in").inc();
  cache.get("NOTIFY", "out").inc();
  Counter& direct = registry.counter("fedgate_test_requests_total", "requests",
                                     {{"method", "NOTIFY"}, {"direction", "in"}});
  EXPECT_EQ(&cache.get("NOTIFY", "in"), &direct);
  EXPECT_EQ(direct.value(), 2u);
  EXPECT_EQ(cache.get("NOTIFY", "out").value(), 1u);
  EXPECT_NE(registry.render().find("direction=\"out\""), std::string::npos);
}

TEST(CounterCache, OneLabel) {
  MetricsRegistry registry;
  CounterCache cache{registry, "fedgate_test_refusals_total", "refusals", {"reason"}};
  cache.get("bad_refresh").inc();
  EXPECT_EQ(registry.counter("fedgate_test_refusals_total", "refusals", {{"reason", "bad_refresh"}})
                .value(),
            1u);
}

}  // namespace
}  // namespace fedgate::sip
