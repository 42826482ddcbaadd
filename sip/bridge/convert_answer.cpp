// SIP responses ↔ answer fields and refusals (RFC 3261 §20.43 Warning, §21; MS-OCER
// ms-diagnostics; RFC 7247 §7 mapping done by the caller).
#include "sip/bridge/convert_answer.hpp"

#include <array>
#include <utility>

#include "sip/codec/error_response.hpp"
#include "sip/codec/ms_diagnostics.hpp"
#include "sip/codec/warning_value.hpp"

namespace fedgate::sip {

SipAnswerFields answer_fields(const Response& response) {
  SipAnswerFields a{response.status, response.reason, {}, {}};
  for (auto value : header_values(response.other, "Warning")) {
    a.warning += (a.warning.empty() ? "" : ", ") + std::string(value);
  }
  const Header* diag = find_header(response.other, "ms-diagnostics");
  if (diag == nullptr) {
    diag = find_header(response.other, "ms-diagnostics-public");
  }
  if (diag != nullptr) {
    a.ms_diagnostics = diag->value;
  }
  return a;
}

SipAnswerFields timeout_answer() { return SipAnswerFields{408, "Request Timeout", {}, {}}; }

std::string diagnostic_text(const SipAnswerFields& answer) {
  if (!answer.ms_diagnostics.empty()) {
    if (auto diag = parse_ms_diagnostics(answer.ms_diagnostics); diag && diag->reason()) {
      return *diag->reason();
    }
  }
  if (!answer.warning.empty()) {
    if (auto values = parse_warning(answer.warning); values && !values->empty()) {
      return values->front().text;
    }
  }
  return answer.reason_phrase;
}

namespace {

// RFC 3261 §21 (and RFC 6665 §8.3.1 for 489).
constexpr std::array<std::pair<int, std::string_view>, 30> kPhrases{
    {{200, "OK"},
     {202, "Accepted"},
     {301, "Moved Permanently"},
     {302, "Moved Temporarily"},
     {400, "Bad Request"},
     {401, "Unauthorized"},
     {403, "Forbidden"},
     {404, "Not Found"},
     {405, "Method Not Allowed"},
     {406, "Not Acceptable"},
     {407, "Proxy Authentication Required"},
     {408, "Request Timeout"},
     {410, "Gone"},
     {413, "Request Entity Too Large"},
     {415, "Unsupported Media Type"},
     {480, "Temporarily Unavailable"},
     {481, "Call/Transaction Does Not Exist"},
     {486, "Busy Here"},
     {488, "Not Acceptable Here"},
     {489, "Bad Event"},
     {491, "Request Pending"},
     {500, "Server Internal Error"},
     {501, "Not Implemented"},
     {503, "Service Unavailable"},
     {504, "Server Time-out"},
     {600, "Busy Everywhere"},
     {603, "Decline"},
     {604, "Does Not Exist Anywhere"},
     {606, "Not Acceptable"},
     {513, "Message Too Large"}}};

}  // namespace

std::string_view default_reason_phrase(int status) noexcept {
  for (auto [code, phrase] : kPhrases) {
    if (code == status) {
      return phrase;
    }
  }
  return {};
}

Response error_response_for(const Request& request, int status, std::string_view reason_phrase,
                            std::string_view warning, std::string_view to_tag) {
  std::string reason{reason_phrase.empty() ? default_reason_phrase(status) : reason_phrase};
  Response r = make_error_response(request, status, std::move(reason), to_tag);
  if (!warning.empty()) {
    r.other.push_back({"Warning", std::string(warning)});
  }
  return r;
}

Response refusal_for(const Request& request, ConvertErrc e, std::string_view accept,
                     std::string_view to_tag) {
  Response r = make_error_response(request, status_for(e), std::string(reason_for(e)), to_tag);
  if (status_for(e) == 415 && !accept.empty()) {
    r.other.push_back({"Accept", std::string(accept)});
  }
  return r;
}

}  // namespace fedgate::sip
