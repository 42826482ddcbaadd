// sip::ConvertErrc: why a SIP message or body could not be turned into the neutral model (or
// back), as a boost::system error category (STYLE.md B6), with the SIP status each refusal is
// answered with. Owned by sip_net (sip/bridge conversions); pure, any thread. RFC 3261 §21.4.
#pragma once

#include <boost/system/error_category.hpp>
#include <boost/system/error_code.hpp>
#include <string_view>
#include <type_traits>

namespace fedgate::sip {

enum class ConvertErrc {
  unsupported_media_type = 1,  // a body type the bridge does not translate: 415
  unsupported_charset,         // text in a charset other than UTF-8 / US-ASCII: 415
  bad_body,                    // the body parser refused the document: 400
  bad_address,                 // a From/To/resource URI the neutral Address cannot carry: 400
  missing_body,                // a request that needs a body has none: 400
  missing_header,              // Event, Subscription-State or Content-Type absent: 400
  bad_event,                   // an Event package other than presence: 489
  bad_multipart,               // RLMI multipart/related without a usable root part: 400
};

const boost::system::error_category& convert_category() noexcept;

inline boost::system::error_code make_error_code(ConvertErrc e) noexcept {
  return {static_cast<int>(e), convert_category()};
}

// The status a request refused for `e` is answered with (400, 415 or 489) and its reason phrase.
int status_for(ConvertErrc e) noexcept;
std::string_view reason_for(ConvertErrc e) noexcept;

}  // namespace fedgate::sip

template <>
struct boost::system::is_error_code_enum<fedgate::sip::ConvertErrc> : std::true_type {};
