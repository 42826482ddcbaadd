// Base64 (RFC 4648 §4) for SASL payloads (RFC 6120 §6.4.2: "=" is the empty response).
// Owned by xmpp_codec; pure functions, any executor.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace fedgate::xmpp {

std::string base64_encode(std::string_view bytes);
// Strict decoding: canonical padding, no whitespace; nullopt on any violation
// (RFC 6120 §6.4.2 incorrect-encoding).
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace fedgate::xmpp
