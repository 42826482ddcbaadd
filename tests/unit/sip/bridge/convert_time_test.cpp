// xs:dateTime ↔ WallTime for Lync publishTime and PIDF timestamps.
#include "sip/bridge/convert_time.hpp"

#include <gtest/gtest.h>

namespace fedgate::sip {
namespace {

using namespace std::chrono;

TEST(ConvertTime, LyncPublishTimeWithMillisecondsRoundTrips) {
  auto t = parse_xs_date_time("2024-05-01T09:30:00.127Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(time_point_cast<milliseconds>(*t).time_since_epoch().count(), 1714555800127);
  EXPECT_EQ(format_xs_date_time(*t), "2024-05-01T09:30:00.127Z");
}

TEST(ConvertTime, OffsetsAndMissingZoneAreUtcNormalised) {
  EXPECT_EQ(parse_xs_date_time("2024-05-01T11:30:00+02:00"),
            parse_xs_date_time("2024-05-01T09:30:00Z"));
  EXPECT_EQ(parse_xs_date_time("2024-05-01T09:30:00"), parse_xs_date_time("2024-05-01T09:30:00Z"));
}

TEST(ConvertTime, MalformedTimesAreRefused) {
  for (const char* text :
       {"", "2024-05-01", "2024-13-01T00:00:00Z", "2024-02-30T00:00:00Z", "2024-05-01T25:00:00Z",
        "2024-05-01T09:30:00+2", "x024-05-01T09:30:00Z"}) {
    EXPECT_FALSE(parse_xs_date_time(text)) << text;
  }
}

}  // namespace
}  // namespace fedgate::sip
