// MIME multipart bodies (RFC 2046 §5.1; multipart/related per RFC 2387) as used by RLMI
// NOTIFYs (RFC 4662 §5.2): each part with its headers, Content-Type and Content-ID.
// Owned by sip_codec; pure, any thread.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/base/result.hpp"
#include "sip/codec/header.hpp"
#include "sip/codec/media_type.hpp"

namespace fedgate::sip {

struct BodyPart {
  std::optional<MediaType> content_type;
  std::string content_id;  // without the angle brackets
  HeaderList headers;      // other part headers, in order
  std::string body;
  friend bool operator==(const BodyPart&, const BodyPart&) = default;
};

// Splits `body` at `boundary` (the Content-Type's boundary parameter, unquoted).
// Errors: ParseErrc::bad_body (no delimiter, no closing delimiter, bad part header),
// ParseErrc::too_many_headers (more than max_parts parts).
result<std::vector<BodyPart>> parse_multipart(std::string_view body, std::string_view boundary,
                                              std::size_t max_parts = 1000);
std::string write_multipart(const std::vector<BodyPart>& parts, std::string_view boundary);

}  // namespace fedgate::sip
