// Building the response to a request the gateway refuses (RFC 3261 §8.2.6: copy Via, From,
// Call-ID and CSeq, copy To and add a tag). Owned by sip_codec; pure, any thread.
// Also works on the raw bytes of a request that failed to parse (stateless 400, §8.2.2).
#pragma once

#include <string>
#include <string_view>

#include "gateway/base/result.hpp"
#include "sip/codec/message.hpp"

namespace fedgate::sip {

// A response to a parsed request; `to_tag` is added to To when it has no tag yet.
Response make_error_response(const Request& request, int status, std::string reason,
                             std::string_view to_tag = {});

// The wire bytes of a response to a request that did not parse, built from its raw bytes:
// the Via, From, To, Call-ID and CSeq lines are copied as received (unfolded). Fails
// (ParseErrc::missing_header) when the bytes are not a request or lack one of those headers,
// and with bad_start_line for a response: a malformed response is dropped, never answered.
result<std::string> make_error_response(std::string_view raw_request, int status,
                                        std::string_view reason, std::string_view to_tag = {});

}  // namespace fedgate::sip
