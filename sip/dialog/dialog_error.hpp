// sip::DialogErrc: why a dialog or one of its usages refused a message, as a boost::system
// error category (STYLE.md B6), with the SIP status each refusal maps to. Owned by sip_core;
// any thread. RFC 3261 §12.1, §12.2.2; RFC 6665 §4.2.1 (489 Bad Event).
#pragma once

#include <boost/system/error_category.hpp>
#include <boost/system/error_code.hpp>
#include <string_view>
#include <type_traits>

namespace fedgate::sip {

enum class DialogErrc {
  unknown_dialog = 1,   // no dialog matches: 481 Call/Transaction Does Not Exist (§12.2.2)
  cseq_out_of_order,    // remote CSeq not above the last one: 500 Server Internal Error
  not_dialog_creating,  // a response without To tag, or a 100 / non-2xx final response
  missing_contact,      // a dialog-creating message without Contact (§12.1.1, §12.1.2)
  bad_event,            // SUBSCRIBE/NOTIFY without an Event header: 489 Bad Event
  wrong_method,         // the request does not belong to this usage: 405 / 481
  terminated,           // the dialog or usage has ended: 481
  not_acceptable,       // an INVITE without session-mode IM SDP: 488 Not Acceptable Here
  corrupt_state,        // a serialized dialog or usage that does not restore (bad version/field)
};

const boost::system::error_category& dialog_category() noexcept;

inline boost::system::error_code make_error_code(DialogErrc e) noexcept {
  return {static_cast<int>(e), dialog_category()};
}

// The status and reason phrase to answer a request refused for `e`.
int status_for(DialogErrc e) noexcept;
std::string_view reason_for(DialogErrc e) noexcept;

}  // namespace fedgate::sip

template <>
struct boost::system::is_error_code_enum<fedgate::sip::DialogErrc> : std::true_type {};
