// The Microsoft `ms-text-format` header that carries the first instant message inside a
// session-mode INVITE (MS-SIP / Lync): "text/plain; charset=UTF-8;msgr=<format blob>;
// ms-body=<base64 body>". Owned by sip_codec; pure, any thread.
#pragma once

#include <string>
#include <string_view>

#include "gateway/base/result.hpp"

namespace fedgate::sip {

struct MsTextFormat {
  std::string content_type = "text/plain";  // type/subtype as sent
  std::string charset = "UTF-8";
  std::string format;                       // msgr= blob (base64 X-MMS-IM-Format), kept as sent
  std::string body;                         // decoded ms-body; empty when the header had none
  friend bool operator==(const MsTextFormat&, const MsTextFormat&) = default;
};

// Errors: ParseErrc::bad_body for a missing type/subtype or an ms-body that is not base64.
result<MsTextFormat> parse_ms_text_format(std::string_view header_value);
std::string write_ms_text_format(const MsTextFormat& value);

}  // namespace fedgate::sip
