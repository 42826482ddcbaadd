// Time vocabulary of the neutral model. Same types as gateway/base/clock.hpp (which presence/
// may not include): state machines take `now` as a TimePoint and never read a clock.
// WallTime carries publication times from the wire (Lync publishTime, XEP-0203 delay).
#pragma once

#include <chrono>

namespace fedgate::presence {

using TimePoint = std::chrono::steady_clock::time_point;
using Duration = std::chrono::steady_clock::duration;
using WallTime = std::chrono::system_clock::time_point;

}  // namespace fedgate::presence
