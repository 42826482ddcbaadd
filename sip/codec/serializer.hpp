// The SIP message serializer (RFC 3261 §7). Owned by sip_codec; pure, any thread.
// Invariant: parse_message(serialize(m)) == m for every parsed message m. Typed headers come
// first in a fixed order, then `other` in order; Content-Length is always body.size().
#pragma once

#include <string>

#include "sip/codec/message.hpp"

namespace fedgate::sip {

std::string serialize(const Message& m);
std::string serialize(const Request& r);
std::string serialize(const Response& r);
// Appends to `out` (reuse one buffer on hot paths).
void serialize_to(std::string& out, const Request& r);
void serialize_to(std::string& out, const Response& r);

}  // namespace fedgate::sip
