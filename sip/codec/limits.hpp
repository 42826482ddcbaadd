// Hard limits the SIP framer and parser enforce (STYLE.md B3: limits are part of parsing).
// Owned by sip_codec; plain value, any thread.
#pragma once

#include <cstddef>

namespace fedgate::sip {

struct Limits {
  std::size_t max_header_bytes = 64 * 1024;   // start line + headers + the empty line
  std::size_t max_header_count = 256;         // header lines after unfolding
  std::size_t max_body_bytes = 1024 * 1024;   // Content-Length
};

}  // namespace fedgate::sip
