// xs:dateTime parsing and formatting with the C++20 calendar types (proleptic Gregorian, UTC).
#include "sip/bridge/convert_time.hpp"

#include <fmt/format.h>

#include <charconv>
#include <chrono>

namespace fedgate::sip {
namespace {

using namespace std::chrono;

// Reads exactly `n` digits at `pos` and the separator after them (when `sep` is not 0).
bool digits(std::string_view s, std::size_t& pos, std::size_t n, char sep, int& out) {
  if (pos + n > s.size()) {
    return false;
  }
  auto [ptr, ec] = std::from_chars(s.data() + pos, s.data() + pos + n, out);
  if (ec != std::errc{} || ptr != s.data() + pos + n) {
    return false;
  }
  pos += n;
  if (sep != 0) {
    if (pos >= s.size() || s[pos] != sep) {
      return false;
    }
    ++pos;
  }
  return true;
}

// Fraction digits after '.', as nanoseconds (digits beyond the ninth are ignored).
nanoseconds fraction(std::string_view s, std::size_t& pos) {
  long long ns = 0;
  int scale = 0;
  for (; pos < s.size() && s[pos] >= '0' && s[pos] <= '9'; ++pos) {
    if (scale < 9) {
      ns = ns * 10 + (s[pos] - '0');
      ++scale;
    }
  }
  for (; scale < 9; ++scale) {
    ns *= 10;
  }
  return nanoseconds{ns};
}

// "Z", "" (UTC) or "±hh:mm": the offset to subtract to reach UTC.
std::optional<minutes> zone(std::string_view s, std::size_t pos) {
  if (pos == s.size() || (pos + 1 == s.size() && s[pos] == 'Z')) {
    return minutes{0};
  }
  if (pos + 6 != s.size() || (s[pos] != '+' && s[pos] != '-')) {
    return std::nullopt;
  }
  int hh = 0;
  int mm = 0;
  std::size_t p = pos + 1;
  if (!digits(s, p, 2, ':', hh) || !digits(s, p, 2, 0, mm) || hh > 14 || mm > 59) {
    return std::nullopt;
  }
  const minutes offset{hh * 60 + mm};
  return s[pos] == '-' ? -offset : offset;
}

}  // namespace

std::optional<presence::WallTime> parse_xs_date_time(std::string_view s) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  std::size_t pos = 0;
  if (!digits(s, pos, 4, '-', y) || !digits(s, pos, 2, '-', mo) || !digits(s, pos, 2, 'T', d) ||
      !digits(s, pos, 2, ':', h) || !digits(s, pos, 2, ':', mi) || !digits(s, pos, 2, 0, sec)) {
    return std::nullopt;
  }
  nanoseconds frac{0};
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    frac = fraction(s, pos);
  }
  const auto offset = zone(s, pos);
  const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)},
                           day{static_cast<unsigned>(d)}};
  if (!offset || !ymd.ok() || h > 23 || mi > 59 || sec > 60) {
    return std::nullopt;
  }
  const auto t = sys_days{ymd} + hours{h} + minutes{mi} + seconds{sec} + frac - *offset;
  return time_point_cast<presence::WallTime::duration>(t);
}

std::string format_xs_date_time(presence::WallTime t) {
  const auto ms = time_point_cast<milliseconds>(t);
  const auto day_start = floor<days>(ms);
  const year_month_day ymd{day_start};
  const hh_mm_ss<milliseconds> tod{ms - day_start};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                     tod.hours().count(), tod.minutes().count(), tod.seconds().count(),
                     tod.subseconds().count());
}

}  // namespace fedgate::sip
