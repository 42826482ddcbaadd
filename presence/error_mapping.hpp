// RFC 7247 §7 error mapping as data (the brief's "§8" is the draft numbering): Table 2
// (XMPP stanza error condition → SIP response code) and Table 3 (SIP response code → XMPP
// condition), both directions, with the peer's diagnostic text carried across. Pure; owned by
// presence_router; used by both bridges and Router::bounce (STYLE.md B2 step 7).
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "presence/model/error_condition.hpp"

namespace fedgate::presence {

struct ConditionToSipRow {
  ErrorCondition condition;
  int code;         // the code fedgate sends
  int alternative;  // the RFC's "or" code (0 when none); accepted as equivalent in tests
};

struct SipToConditionRow {
  int code;  // an exact code, or 300/400/500/600 with is_class for "3xx".."6xx"
  bool is_class;
  ErrorCondition condition;
};

std::span<const ConditionToSipRow> condition_to_sip_table() noexcept;  // Table 2
std::span<const SipToConditionRow> sip_to_condition_table() noexcept;  // Table 3

// Table 2; <service-unavailable/> (note 5: depends on context) is sent as 503.
int sip_code_for(ErrorCondition c) noexcept;
// Table 3: the exact row, else the class row (3xx/4xx/5xx/6xx), else undefined-condition.
ErrorCondition condition_for_sip(int code) noexcept;

// A SIP failure as the XMPP side sees it. `diagnostic` is the peer's text: the reason of an
// ms-diagnostics header when there is one, else the text of a Warning header, else the
// reason phrase.
StanzaError stanza_error_from_sip(int code, std::string_view reason_phrase,
                                  std::string_view warning = {},
                                  std::string_view ms_diagnostics = {});

struct SipErrorForm {
  int code = 500;
  std::string reason_phrase;
  std::string warning;  // "399 <agent> \"text\"" (RFC 3261 §20.43), empty when no text
  friend bool operator==(const SipErrorForm&, const SipErrorForm&) = default;
};

// A stanza error as the SIP side sees it; the text travels in a Warning header.
SipErrorForm sip_error_from_stanza(const StanzaError& e, std::string_view agent);

// Helpers exposed for tests: the quoted text of a Warning header value, and the reason="..."
// of an ms-diagnostics value ("1003;reason=\"User does not exist\";source=...").
std::string warning_text(std::string_view warning);
std::string ms_diagnostics_reason(std::string_view ms_diagnostics);

}  // namespace fedgate::presence
