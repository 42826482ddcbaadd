// RFC 7247 §7 tables (corpus interworking/rfc7247/7.1-01 and 7.2-01) and diagnostic text.
#include "presence/error_mapping.hpp"

#include <array>

namespace fedgate::presence {
namespace {

using C = ErrorCondition;

// Table 2: every condition once; alternatives per the RFC's notes (1)-(4).
constexpr std::array<ConditionToSipRow, kErrorConditionCount> kToSip{{
    {C::bad_request, 400, 0},
    {C::conflict, 400, 0},
    {C::feature_not_implemented, 501, 405},
    {C::forbidden, 403, 603},
    {C::gone, 410, 301},
    {C::internal_server_error, 500, 0},
    {C::item_not_found, 404, 604},
    {C::jid_malformed, 400, 0},
    {C::not_acceptable, 406, 606},
    {C::not_allowed, 403, 0},
    {C::not_authorized, 401, 0},
    {C::policy_violation, 403, 0},
    {C::recipient_unavailable, 480, 600},
    {C::redirect, 302, 0},
    {C::registration_required, 407, 0},
    {C::remote_server_not_found, 404, 408},
    {C::remote_server_timeout, 408, 0},
    {C::resource_constraint, 500, 0},
    {C::service_unavailable, 503, 0},  // note (5): context-dependent; fedgate sends 503
    {C::subscription_required, 400, 0},
    {C::undefined_condition, 400, 0},
    {C::unexpected_request, 491, 400},
}};

// Table 3, in the RFC's order.
constexpr std::array<SipToConditionRow, 52> kToCondition{{
    {300, true, C::redirect},
    {300, false, C::redirect},
    {301, false, C::gone},
    {302, false, C::redirect},
    {305, false, C::redirect},
    {380, false, C::not_acceptable},
    {400, true, C::bad_request},
    {400, false, C::bad_request},
    {401, false, C::not_authorized},
    {402, false, C::bad_request},
    {403, false, C::forbidden},
    {404, false, C::item_not_found},
    {405, false, C::feature_not_implemented},
    {406, false, C::not_acceptable},
    {407, false, C::registration_required},
    {408, false, C::remote_server_timeout},
    {410, false, C::gone},
    {413, false, C::policy_violation},
    {414, false, C::policy_violation},
    {415, false, C::not_acceptable},
    {416, false, C::not_acceptable},
    {420, false, C::feature_not_implemented},
    {421, false, C::not_acceptable},
    {423, false, C::resource_constraint},
    {430, false, C::recipient_unavailable},
    {439, false, C::feature_not_implemented},
    {440, false, C::policy_violation},
    {480, false, C::recipient_unavailable},
    {481, false, C::item_not_found},
    {482, false, C::not_acceptable},
    {483, false, C::not_acceptable},
    {484, false, C::item_not_found},
    {485, false, C::item_not_found},
    {486, false, C::recipient_unavailable},
    {487, false, C::recipient_unavailable},
    {488, false, C::not_acceptable},
    {489, false, C::policy_violation},
    {491, false, C::unexpected_request},
    {493, false, C::bad_request},
    {500, true, C::internal_server_error},
    {500, false, C::internal_server_error},
    {501, false, C::feature_not_implemented},
    {502, false, C::remote_server_not_found},
    {503, false, C::internal_server_error},
    {504, false, C::remote_server_timeout},
    {505, false, C::not_acceptable},
    {513, false, C::policy_violation},
    {600, true, C::recipient_unavailable},
    {600, false, C::recipient_unavailable},
    {603, false, C::recipient_unavailable},
    {604, false, C::item_not_found},
    {606, false, C::not_acceptable},
}};

std::string_view reason_phrase_for(int code) noexcept {
  switch (code) {
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 406:
      return "Not Acceptable";
    case 407:
      return "Proxy Authentication Required";
    case 408:
      return "Request Timeout";
    case 410:
      return "Gone";
    case 480:
      return "Temporarily Unavailable";
    case 491:
      return "Request Pending";
    case 500:
      return "Server Internal Error";
    case 501:
      return "Not Implemented";
    case 503:
      return "Service Unavailable";
    default:
      return code < 400 ? "Redirect" : "Error";
  }
}

}  // namespace

std::span<const ConditionToSipRow> condition_to_sip_table() noexcept { return kToSip; }

std::span<const SipToConditionRow> sip_to_condition_table() noexcept { return kToCondition; }

int sip_code_for(ErrorCondition c) noexcept {
  for (const auto& r : kToSip) {
    if (r.condition == c) {
      return r.code;
    }
  }
  return 500;
}

ErrorCondition condition_for_sip(int code) noexcept {
  const auto table = sip_to_condition_table();
  for (const auto& r : table) {
    if (!r.is_class && r.code == code) {
      return r.condition;
    }
  }
  for (const auto& r : table) {
    if (r.is_class && code / 100 == r.code / 100) {
      return r.condition;
    }
  }
  return ErrorCondition::undefined_condition;
}

StanzaError stanza_error_from_sip(int code, std::string_view reason_phrase,
                                  std::string_view warning, std::string_view ms_diagnostics) {
  std::string text = ms_diagnostics_reason(ms_diagnostics);
  if (text.empty()) {
    text = warning_text(warning);
  }
  if (text.empty()) {
    text = std::string{reason_phrase};
  }
  return {condition_for_sip(code), std::move(text)};
}

SipErrorForm sip_error_from_stanza(const StanzaError& e, std::string_view agent) {
  SipErrorForm f;
  f.code = sip_code_for(e.condition);
  f.reason_phrase = std::string{reason_phrase_for(f.code)};
  if (!e.text.empty()) {
    std::string quoted;
    for (char c : e.text) {
      if (c == '"' || c == '\\') {
        quoted += '\\';
      }
      quoted += (c == '\r' || c == '\n') ? ' ' : c;
    }
    f.warning = "399 " + std::string{agent} + " \"" + quoted + "\"";
  }
  return f;
}

}  // namespace fedgate::presence
