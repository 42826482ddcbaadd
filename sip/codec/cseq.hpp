// The CSeq header (RFC 3261 §20.16): a 32-bit sequence number and a method.
// Owned by sip_codec; plain value, any thread.
#pragma once

#include <cstdint>
#include <string>

#include "sip/codec/method.hpp"

namespace fedgate::sip {

struct CSeq {
  std::uint32_t sequence = 0;
  Method method = Method::other;
  std::string method_text;  // only for Method::other

  std::string_view name() const { return method_name(method, method_text); }
  friend bool operator==(const CSeq&, const CSeq&) = default;
};

}  // namespace fedgate::sip
