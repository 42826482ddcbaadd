// Base64 (RFC 4648 §4) for header-carried bodies such as ms-text-format's ms-body.
// Internal to sip_codec; pure, any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace fedgate::sip {

std::string base64_encode(std::string_view bytes);
// nullopt on characters outside the alphabet or bad padding.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace fedgate::sip
