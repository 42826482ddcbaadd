// Broken invariants (STYLE.md B6): FEDGATE_ASSERT aborts in debug builds only;
// FEDGATE_BUG logs an error and counts fedgate_bugs_total in every build.
#pragma once

#include <cassert>
#include <string_view>

namespace fedgate {
void report_bug(std::string_view what, const char* file, int line);
}  // namespace fedgate

#define FEDGATE_ASSERT(cond) assert(cond)
#define FEDGATE_BUG(msg) ::fedgate::report_bug((msg), __FILE__, __LINE__)
