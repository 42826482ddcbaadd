// Parses the SRV records (with their TTLs) out of a raw DNS response; c-ares 1.18's
// ares_parse_srv_reply drops the TTL. Owned by gw_net; sans-I/O, any thread.
// RFC 1035 §4.1 message format, §4.1.4 name compression; RFC 2782 SRV RDATA.
#pragma once

#include <cstddef>
#include <vector>

#include "gateway/base/result.hpp"
#include "gateway/net/resolver.hpp"

namespace fedgate::gateway {

// Every SRV record of the answer section, in message order. Other record types (CNAME, RRSIG)
// are skipped. bad_response for anything truncated or malformed; no_data when none is SRV.
result<std::vector<SrvTarget>> parse_srv_answer(const unsigned char* message, std::size_t size);

}  // namespace fedgate::gateway
