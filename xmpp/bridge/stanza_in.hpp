// XMPP stanzas → neutral presence_model values (the XMPP bridge, STYLE.md B2 step 3): <message/>
// → InboundMessage, <presence/> → an endpoint's presence or a SubscriptionRequest, error
// stanzas → StanzaFailure. Pure functions, owned by xmpp_net, any executor.
// RFC 6121 §3 (subscriptions), §4.7 (presence syntax), §5 (messages); XEP-0071, XEP-0085.
#pragma once

#include <string>
#include <variant>

#include "gateway/base/result.hpp"
#include "presence/model/error_condition.hpp"
#include "presence/model/message.hpp"
#include "presence/model/presence.hpp"
#include "presence/model/subscription.hpp"
#include "xmpp/bridge/bridge_errc.hpp"
#include "xmpp/codec/element.hpp"

namespace fedgate::xmpp {

inline constexpr std::string_view kNsChatStates = "http://jabber.org/protocol/chatstates";
inline constexpr std::string_view kNsXhtmlIm = "http://jabber.org/protocol/xhtml-im";
inline constexpr std::string_view kNsXhtml = "http://www.w3.org/1999/xhtml";

// Available or unavailable presence of one resource (`entity` is the full sender address).
struct PresenceUpdate {
  presence::Address entity;
  presence::Address to;
  presence::EndpointPresence endpoint;
  friend bool operator==(const PresenceUpdate&, const PresenceUpdate&) = default;
};

// A <message type='error'/> or <presence type='error'/>: the far side refused something.
struct StanzaFailure {
  StanzaKind kind = StanzaKind::message;
  std::string id;
  presence::Address from;  // who reports the error (the original recipient)
  presence::Address to;    // the original sender
  presence::StanzaError error;
  friend bool operator==(const StanzaFailure&, const StanzaFailure&) = default;
};

using PresenceInput = std::variant<PresenceUpdate, presence::SubscriptionRequest, StanzaFailure>;

// A JID with a local part as a neutral Address (resource kept); bare domains are refused.
result<presence::Address> to_address(std::string_view jid);

// <message/> other than type='error': body, subject, thread, xml:lang, XHTML-IM (kept as the
// serialized <body xmlns='http://www.w3.org/1999/xhtml'> element), XEP-0085 chat state.
result<presence::InboundMessage> to_inbound_message(const Element& message);

// <presence/>: no type / 'unavailable' → PresenceUpdate; subscribe / subscribed / unsubscribe
// / unsubscribed / probe → SubscriptionRequest (RFC 6121 §3); 'error' → StanzaFailure.
result<PresenceInput> to_presence_input(const Element& presence);

// Any stanza of type='error' (RFC 6120 §8.3.2): condition and text.
result<StanzaFailure> to_stanza_failure(const Element& stanza);

}  // namespace fedgate::xmpp
