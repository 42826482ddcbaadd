// sip::TxErrc: why a transaction refused an event from its TU or why a message carries no
// usable transaction key, as a boost::system error category (STYLE.md B6). Owned by sip_core;
// any thread. RFC 3261 §17.1.3, §17.2.3 (matching), §17.2.1/§17.2.2 (TU responses).
#pragma once

#include <boost/system/error_category.hpp>
#include <boost/system/error_code.hpp>
#include <type_traits>

namespace fedgate::sip {

enum class TxErrc {
  missing_via = 1,        // the message has no Via header
  missing_branch,         // the top Via has no branch parameter (client matching)
  final_response_sent,    // the TU answered again after a final response
  bad_status,             // a status outside 100..699
  not_a_cancel,           // cancelled_invite_key() on a request other than CANCEL
  unknown_transaction,    // no (server) transaction with that id: it has ended
  duplicate_transaction,  // a client transaction with that branch and method exists
};

const boost::system::error_category& tx_category() noexcept;

inline boost::system::error_code make_error_code(TxErrc e) noexcept {
  return {static_cast<int>(e), tx_category()};
}

}  // namespace fedgate::sip

template <>
struct boost::system::is_error_code_enum<fedgate::sip::TxErrc> : std::true_type {};
