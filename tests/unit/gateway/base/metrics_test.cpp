#include "gateway/base/metrics.hpp"

#include <gtest/gtest.h>

namespace fedgate {
namespace {

TEST(Metrics, CounterWithLabelsRendersInPrometheusText) {
  MetricsRegistry r;
  r.counter("fedgate_x_total", "Things", {{"reason", "bad_tag"}}).inc(3);
  auto text = r.render();
  EXPECT_NE(text.find("# TYPE fedgate_x_total counter"), std::string::npos);
  EXPECT_NE(text.find("fedgate_x_total{reason=\"bad_tag\"} 3"), std::string::npos) << text;
}

TEST(Metrics, SameNameAndLabelsGiveTheSameCounter) {
  MetricsRegistry r;
  r.counter("c_total", "h", {{"a", "1"}}).inc();
  r.counter("c_total", "h", {{"a", "1"}}).inc();
  r.counter("c_total", "h", {{"a", "2"}}).inc();
  EXPECT_EQ(r.value("c_total", {{"a", "1"}}), 2);
  EXPECT_EQ(r.value("c_total", {{"a", "2"}}), 1);
}

TEST(Metrics, HistogramBucketsAreCumulative) {
  MetricsRegistry r;
  auto& h = r.histogram("lat_seconds", "latency", {}, {0.01, 0.1});
  h.observe(0.005);
  h.observe(0.05);
  h.observe(5);
  auto text = r.render();
  EXPECT_NE(text.find("lat_seconds_bucket{le=\"0.01\"} 1"), std::string::npos) << text;
  EXPECT_NE(text.find("lat_seconds_bucket{le=\"0.1\"} 2"), std::string::npos);
  EXPECT_NE(text.find("lat_seconds_bucket{le=\"+Inf\"} 3"), std::string::npos);
  EXPECT_NE(text.find("lat_seconds_count 3"), std::string::npos);
}

TEST(Metrics, GaugeGoesUpAndDown) {
  MetricsRegistry r;
  auto& g = r.gauge("conns", "open connections");
  g.inc(5);
  g.dec(2);
  EXPECT_EQ(r.value("conns"), 3);
  EXPECT_NE(r.render().find("conns 3"), std::string::npos);
}

TEST(Metrics, RegisteringOneNameAsTwoKindsIsRefused) {
  MetricsRegistry r;
  r.counter("m", "h");
  EXPECT_THROW(r.gauge("m", "h"), std::logic_error);
}

}  // namespace
}  // namespace fedgate
