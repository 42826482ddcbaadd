// The sip::DialogErrc category and its status mapping (RFC 3261 §12.2.2, RFC 6665 §4.2.1).
#include "sip/dialog/dialog_error.hpp"

#include <string>

namespace fedgate::sip {
namespace {

class DialogCategory final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "sip.dialog"; }
  std::string message(int ev) const override {
    switch (static_cast<DialogErrc>(ev)) {
      case DialogErrc::unknown_dialog:
        return "no dialog matches the request";
      case DialogErrc::cseq_out_of_order:
        return "CSeq not above the dialog's remote CSeq";
      case DialogErrc::not_dialog_creating:
        return "response does not create a dialog";
      case DialogErrc::missing_contact:
        return "dialog-creating message has no Contact";
      case DialogErrc::bad_event:
        return "missing or unsupported Event header";
      case DialogErrc::wrong_method:
        return "method not valid in this dialog usage";
      case DialogErrc::terminated:
        return "the dialog usage has terminated";
      case DialogErrc::not_acceptable:
        return "INVITE without m=message session SDP";
      case DialogErrc::corrupt_state:
        return "serialized dialog state does not restore";
    }
    return "unknown dialog error";
  }
};

}  // namespace

const boost::system::error_category& dialog_category() noexcept {
  static const DialogCategory category;
  return category;
}

int status_for(DialogErrc e) noexcept {
  switch (e) {
    case DialogErrc::cseq_out_of_order:
    case DialogErrc::corrupt_state:
      return 500;
    case DialogErrc::missing_contact:
      return 400;
    case DialogErrc::bad_event:
      return 489;
    case DialogErrc::wrong_method:
      return 405;
    case DialogErrc::not_acceptable:
      return 488;
    case DialogErrc::unknown_dialog:
    case DialogErrc::not_dialog_creating:
    case DialogErrc::terminated:
      return 481;
  }
  return 500;
}

std::string_view reason_for(DialogErrc e) noexcept {
  if (e == DialogErrc::corrupt_state) {
    return "Server Internal Error";
  }
  switch (status_for(e)) {
    case 400:
      return "Missing Contact";
    case 405:
      return "Method Not Allowed";
    case 488:
      return "Not Acceptable Here";
    case 489:
      return "Bad Event";
    case 500:
      return "CSeq Out of Order";
    default:
      return "Call/Transaction Does Not Exist";
  }
}

}  // namespace fedgate::sip
