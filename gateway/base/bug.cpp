#include "gateway/base/bug.hpp"

#include <atomic>

#include "gateway/base/log.hpp"

namespace fedgate {

std::atomic<unsigned long> g_bugs_total{0};

void report_bug(std::string_view what, const char* file, int line) {
  g_bugs_total.fetch_add(1, std::memory_order_relaxed);
  Logger{}.error("bug", {{"what", what}, {"file", file}, {"line", line}});
}

}  // namespace fedgate
