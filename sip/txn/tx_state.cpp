// Names of transaction states and outcomes, and the sip::TxErrc category.
#include "sip/txn/tx_state.hpp"

#include <string>

#include "sip/txn/tx_error.hpp"

namespace fedgate::sip {
namespace {

class TxCategory final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "sip.txn"; }
  std::string message(int ev) const override {
    switch (static_cast<TxErrc>(ev)) {
      case TxErrc::missing_via:
        return "message has no Via header";
      case TxErrc::missing_branch:
        return "top Via has no branch parameter";
      case TxErrc::final_response_sent:
        return "a final response was already sent";
      case TxErrc::bad_status:
        return "status code outside 100..699";
      case TxErrc::not_a_cancel:
        return "request is not a CANCEL";
      case TxErrc::unknown_transaction:
        return "no such transaction";
      case TxErrc::duplicate_transaction:
        return "a transaction with this branch exists";
    }
    return "unknown transaction error";
  }
};

}  // namespace

const boost::system::error_category& tx_category() noexcept {
  static const TxCategory category;
  return category;
}

std::string_view to_string(TxState s) noexcept {
  switch (s) {
    case TxState::calling:
      return "calling";
    case TxState::trying:
      return "trying";
    case TxState::proceeding:
      return "proceeding";
    case TxState::accepted:
      return "accepted";
    case TxState::completed:
      return "completed";
    case TxState::confirmed:
      return "confirmed";
    case TxState::terminated:
      return "terminated";
  }
  return "unknown";
}

std::string_view to_string(TxOutcome o) noexcept {
  switch (o) {
    case TxOutcome::final_response:
      return "final_response";
    case TxOutcome::timeout:
      return "timeout";
    case TxOutcome::transport_error:
      return "transport_error";
  }
  return "unknown";
}

}  // namespace fedgate::sip
