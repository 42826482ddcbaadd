// Counting allocator hooks for expat (XML_ParserCreate_MM): every allocation carries its size,
// so the bytes all expat parsers hold can be measured (idle-stream memory, benchmarks).
// Owned by xmpp_codec; thread-safe (one relaxed atomic counter).
#pragma once

#include <expat.h>

#include <cstddef>

namespace fedgate::xmpp {

const XML_Memory_Handling_Suite& counting_memory_suite() noexcept;
std::size_t expat_bytes_allocated() noexcept;

}  // namespace fedgate::xmpp
