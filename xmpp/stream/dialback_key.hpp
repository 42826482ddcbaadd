// Server Dialback keys (XEP-0185 §2, XEP-0220 §2.1.1): HMAC-SHA256 keyed with the hex
// SHA-256 of the secret over "receiving originating stream-id", as lower-case hex.
// Owned by xmpp_stream; pure functions (OpenSSL libcrypto), any executor.
#pragma once

#include <string>
#include <string_view>

namespace fedgate::xmpp {

std::string dialback_key(std::string_view secret, std::string_view receiving,
                         std::string_view originating, std::string_view stream_id);

// Constant-time comparison of `key` with the key we would have generated.
bool dialback_key_matches(std::string_view key, std::string_view secret, std::string_view receiving,
                          std::string_view originating, std::string_view stream_id);

}  // namespace fedgate::xmpp
