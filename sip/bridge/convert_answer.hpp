// SIP final responses ↔ the bridge's error vocabulary: a response's status, Warning and
// ms-diagnostics as the fields of presence::SipAnswer (which lives in presence_router, so the
// caller copies them), and refusals built from an RFC 7247 §7 mapping the caller looked up
// (presence::sip_error_from_stanza) or from a ConvertErrc. Owned by sip_net; pure, any thread.
#pragma once

#include <string>
#include <string_view>

#include "sip/bridge/convert_errc.hpp"
#include "sip/codec/message.hpp"

namespace fedgate::sip {

// The fields of presence::SipAnswer (chat_session_machine.hpp), in the same order.
struct SipAnswerFields {
  int status = 200;
  std::string reason_phrase;
  std::string warning;         // every Warning value, comma-joined as received; "" when none
  std::string ms_diagnostics;  // ms-diagnostics, else ms-diagnostics-public; "" when none
  friend bool operator==(const SipAnswerFields&, const SipAnswerFields&) = default;
};

SipAnswerFields answer_fields(const Response& response);

// A transaction that timed out, as an answer (RFC 3261 §17.1.2.2: like a 408).
SipAnswerFields timeout_answer();

// The diagnostic text a SIP failure carries, for the other side's error text: the
// ms-diagnostics reason, else the first Warning text, else the reason phrase.
std::string diagnostic_text(const SipAnswerFields& answer);

// RFC 3261 §21 reason phrase of a status code ("Not Found"); "" for codes it does not list.
std::string_view default_reason_phrase(int status) noexcept;

// A refusal of `request` with the mapped `status` and `reason_phrase` (the default phrase
// when empty) and `warning` as a Warning header value when not empty ("399 agent \"text\"").
Response error_response_for(const Request& request, int status, std::string_view reason_phrase,
                            std::string_view warning, std::string_view to_tag = {});
// A request a conversion refused: 400 / 415 (with the Accept header RFC 3261 §21.4.13
// requires, listing `accept`) / 489.
Response refusal_for(const Request& request, ConvertErrc e, std::string_view accept = {},
                     std::string_view to_tag = {});

}  // namespace fedgate::sip
