// sip::ParseErrc: every reason the SIP codec refuses bytes, as a boost::system error category
// (STYLE.md B6). Owned by sip_codec; any thread. The reason phrase of each code is what a
// 400 response carries (RFC 3261 §21.4.1); status_for() picks 400, 413, 505 or 513.
#pragma once

#include <string_view>
#include <type_traits>

#include <boost/system/error_category.hpp>
#include <boost/system/error_code.hpp>

namespace fedgate::sip {

enum class ParseErrc {
  truncated = 1,         // the bytes end inside the header section or the body
  bad_start_line,        // not "Method SP Request-URI SP SIP/2.0" nor a status line
  bad_version,           // a SIP-Version other than SIP/2.0: answer 505
  bad_status_code,       // not three digits in 100..699
  bad_request_uri,       // malformed, enclosed in <>, or carrying headers (RFC 4475 §3.1.2.11)
  bad_uri,               // a URI elsewhere (Uri::parse)
  bad_header,            // a header line without a name or colon
  bad_via,
  bad_from,
  bad_to,
  bad_call_id,
  bad_cseq,              // not "number method", or the number exceeds 2^32-1
  cseq_method_mismatch,  // CSeq method differs from the request method (RFC 4475 §3.1.2.17)
  bad_contact,
  bad_route,
  bad_max_forwards,
  bad_expires,
  bad_event,
  bad_subscription_state,
  bad_content_type,
  bad_content_length,    // not a number, negative, or several values (RFC 4475 §3.3.9)
  missing_content_length,  // stream transports require it (RFC 3261 §18.3)
  bad_option_tags,       // Require / Supported
  bad_date,              // Date not an RFC 1123 date in GMT (RFC 4475 §3.1.2.12)
  duplicate_header,      // a single-valued header appears more than once (RFC 4475 §3.3.8)
  missing_header,        // Via, From, To, Call-ID or CSeq is absent (RFC 4475 §3.3.1)
  too_many_headers,
  header_too_long,       // the header section exceeds Limits::max_header_bytes
  body_too_long,         // Content-Length exceeds Limits::max_body_bytes
  bad_body,              // a body parser refused the document
  xml_too_deep,          // a body document exceeds XmlLimits
  bad_xml,               // not well-formed XML, or a DTD / entity declaration
};

const boost::system::error_category& parse_category() noexcept;

inline boost::system::error_code make_error_code(ParseErrc e) noexcept {
  return {static_cast<int>(e), parse_category()};
}

// The status a server answers a request refused for this reason: 400, 413, 505 or 513.
int status_for(ParseErrc e) noexcept;
// A short reason phrase for that response ("Bad Request - Malformed Via").
std::string_view reason_phrase(ParseErrc e) noexcept;

}  // namespace fedgate::sip

template <>
struct boost::system::is_error_code_enum<fedgate::sip::ParseErrc> : std::true_type {};
