// Text helpers of the message conversions: charsets to UTF-8 (RFC 3428 §9: text/plain
// charset), UTF-8 validity, and the plain text of an HTML message body (RFC 7572 §5).
// Owned by sip_net (bridge conversions); pure, any thread.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace fedgate::sip {

bool is_valid_utf8(std::string_view s) noexcept;
// UTF-8 text of `bytes` in `charset` (UTF-8, US-ASCII, ISO-8859-1 / Latin-1; case-insensitive,
// empty = UTF-8); nullopt for another charset or bytes invalid in it.
std::optional<std::string> to_utf8(std::string_view bytes, std::string_view charset);
// The text of an HTML fragment: tags removed (<br> and </p> become line breaks), character
// references (&amp; &lt; &gt; &quot; &apos; &nbsp; &#N; &#xN;) decoded.
std::string html_to_text(std::string_view html);

}  // namespace fedgate::sip
