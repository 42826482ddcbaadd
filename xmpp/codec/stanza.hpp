// Stanza helpers over Element: kind (message/presence/iq), addressing attributes, and error
// replies per RFC 6120 §8.3 (syntax §8.3.2, conditions §8.3.3). Owned by xmpp_codec; pure
// functions, any executor.
#pragma once

#include <string_view>

#include "xmpp/codec/element.hpp"

namespace fedgate::xmpp {

enum class StanzaKind { message, presence, iq, other };

// RFC 6120 §8: message, presence or iq qualified by jabber:server or jabber:client.
StanzaKind stanza_kind(const Element& e) noexcept;
inline bool is_stanza(const Element& e) noexcept { return stanza_kind(e) != StanzaKind::other; }

// RFC 6120 §8.3.2 error types; continue_ is the keyword "continue".
enum class StanzaErrorType { auth, cancel, continue_, modify, wait };

// RFC 6120 §8.3.3.1–§8.3.3.22, in the RFC's order.
enum class StanzaErrc {
  bad_request = 1,
  conflict,
  feature_not_implemented,
  forbidden,
  gone,
  internal_server_error,
  item_not_found,
  jid_malformed,
  not_acceptable,
  not_allowed,
  not_authorized,
  policy_violation,
  recipient_unavailable,
  redirect,
  registration_required,
  remote_server_not_found,
  remote_server_timeout,
  resource_constraint,
  service_unavailable,
  subscription_required,
  undefined_condition,
  unexpected_request,
};

std::string_view condition_name(StanzaErrc e) noexcept;
std::string_view type_name(StanzaErrorType t) noexcept;
// The type RFC 6120 §8.3.3 gives in its example for each condition.
StanzaErrorType default_error_type(StanzaErrc e) noexcept;

// <error type='..'><condition xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>[<text/>]</error>,
// in `content_ns` (the stream's content namespace).
Element make_error_element(StanzaErrc condition, StanzaErrorType type, std::string_view text = {},
                           std::string_view content_ns = "jabber:server");

// RFC 6120 §8.3.1: the reply to `original` — same kind and id, to/from swapped,
// type='error', the original's payload dropped (§8.3.1 allows omitting it), plus <error/>.
Element make_error_reply(const Element& original, StanzaErrc condition, std::string_view text = {});

// RFC 6120 §8.3.1 rule 1: never answer an error with an error.
inline bool is_error_stanza(const Element& e) { return e.attr("type") == "error"; }

}  // namespace fedgate::xmpp
