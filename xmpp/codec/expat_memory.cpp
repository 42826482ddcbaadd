#include "xmpp/codec/expat_memory.hpp"

#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <cstring>

namespace fedgate::xmpp {
namespace {

constexpr std::size_t kHeaderSize = alignof(std::max_align_t);

// Allocator hooks: every expat allocation carries its size, so live bytes can be measured.
std::atomic<std::size_t> g_expat_bytes{0};

void* counted_malloc(std::size_t n) {
  auto* base = static_cast<unsigned char*>(std::malloc(n + kHeaderSize));
  if (base == nullptr) {
    return nullptr;
  }
  std::memcpy(base, &n, sizeof n);
  g_expat_bytes.fetch_add(n, std::memory_order_relaxed);
  return base + kHeaderSize;
}

void counted_free(void* p) {
  if (p == nullptr) {
    return;
  }
  auto* base = static_cast<unsigned char*>(p) - kHeaderSize;
  std::size_t n = 0;
  std::memcpy(&n, base, sizeof n);
  g_expat_bytes.fetch_sub(n, std::memory_order_relaxed);
  std::free(base);
}

void* counted_realloc(void* p, std::size_t n) {
  if (p == nullptr) {
    return counted_malloc(n);
  }
  auto* base = static_cast<unsigned char*>(p) - kHeaderSize;
  std::size_t old = 0;
  std::memcpy(&old, base, sizeof old);
  auto* grown = static_cast<unsigned char*>(std::realloc(base, n + kHeaderSize));
  if (grown == nullptr) {
    return nullptr;
  }
  std::memcpy(grown, &n, sizeof n);
  g_expat_bytes.fetch_add(n, std::memory_order_relaxed);
  g_expat_bytes.fetch_sub(old, std::memory_order_relaxed);
  return grown + kHeaderSize;
}

}  // namespace

const XML_Memory_Handling_Suite& counting_memory_suite() noexcept {
  static const XML_Memory_Handling_Suite suite = {counted_malloc, counted_realloc, counted_free};
  return suite;
}

std::size_t expat_bytes_allocated() noexcept {
  return g_expat_bytes.load(std::memory_order_relaxed);
}

}  // namespace fedgate::xmpp
