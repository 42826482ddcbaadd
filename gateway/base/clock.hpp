// Time vocabulary shared by every layer. State machines never read a clock: the caller passes
// `now` in (STYLE.md B8: FakeClock drives them in tests). Only transport/ and app/ call now().
#pragma once

#include <chrono>

namespace fedgate {

using Clock = std::chrono::steady_clock;
using TimePoint = Clock::time_point;
using Duration = Clock::duration;
using std::chrono::milliseconds;
using std::chrono::seconds;

}  // namespace fedgate
