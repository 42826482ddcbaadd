// The SIP message parser (RFC 3261 §7, §25; tolerant and strict exactly as RFC 4475 and
// RFC 5118 require). Owned by sip_codec; pure, any thread; errors are sip::ParseErrc.
// Input is one message as received in a datagram or as cut by sip::Framer.
#pragma once

#include <string_view>

#include "gateway/base/result.hpp"
#include "sip/codec/limits.hpp"
#include "sip/codec/message.hpp"
#include "sip/codec/parse_error.hpp"

namespace fedgate::sip {

// Parses one message. The body is Content-Length bytes; octets after it are ignored
// (RFC 3261 §18.3, RFC 4475 §3.1.1.8). Without Content-Length the body is the rest of the
// bytes (datagram rule). Line endings must be CRLF.
result<Message> parse_message(std::string_view bytes, const Limits& limits = {});
result<Request> parse_request(std::string_view bytes, const Limits& limits = {});
result<Response> parse_response(std::string_view bytes, const Limits& limits = {});

}  // namespace fedgate::sip
