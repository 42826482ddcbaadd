// Global operator new/delete replacement that tracks the live heap footprint.
#include "tests/bench/presence/counting_new.hpp"

#include <malloc.h>

#include <cstdlib>
#include <new>

namespace {

std::size_t g_live_bytes = 0;
std::size_t g_live_allocations = 0;
constexpr std::size_t kChunkHeader = sizeof(std::size_t);  // glibc malloc chunk header

void* counted_alloc(std::size_t n) {
  void* p = std::malloc(n == 0 ? 1 : n);
  if (p == nullptr) {
    throw std::bad_alloc{};
  }
  g_live_bytes += malloc_usable_size(p) + kChunkHeader;
  ++g_live_allocations;
  return p;
}

void counted_free(void* p) noexcept {
  if (p != nullptr) {
    g_live_bytes -= malloc_usable_size(p) + kChunkHeader;
    --g_live_allocations;
    std::free(p);
  }
}

}  // namespace

void* operator new(std::size_t n) { return counted_alloc(n); }
void* operator new[](std::size_t n) { return counted_alloc(n); }
void operator delete(void* p) noexcept { counted_free(p); }
void operator delete[](void* p) noexcept { counted_free(p); }
void operator delete(void* p, std::size_t) noexcept { counted_free(p); }
void operator delete[](void* p, std::size_t) noexcept { counted_free(p); }

namespace fedgate::presence::bench {

std::size_t live_bytes() noexcept { return g_live_bytes; }
std::size_t live_allocations() noexcept { return g_live_allocations; }

}  // namespace fedgate::presence::bench
