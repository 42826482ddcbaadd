// Allocation accounting for the presence benchmarks: the binary replaces global operator
// new/delete and keeps the live heap footprint (malloc_usable_size plus the allocator's
// per-chunk header), so memory per subscription / chat session can be measured exactly.
#pragma once

#include <cstddef>

namespace fedgate::presence::bench {

std::size_t live_bytes() noexcept;  // footprint of live allocations, headers included
std::size_t live_allocations() noexcept;

}  // namespace fedgate::presence::bench
