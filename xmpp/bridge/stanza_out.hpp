// Neutral presence_model values → XMPP stanzas (the XMPP bridge, outbound half): messages,
// presence, subscription requests and answers, and the error stanzas for refusals and bounces.
// Pure functions, owned by xmpp_net, any executor. Stanzas are built in jabber:server.
// RFC 6121 §3-§5, RFC 6120 §8.3 (errors), XEP-0071, XEP-0085.
#pragma once

#include <string_view>

#include "presence/model/error_condition.hpp"
#include "presence/model/message.hpp"
#include "presence/model/subscription.hpp"
#include "xmpp/codec/element.hpp"

namespace fedgate::xmpp {

// <message type='chat' id=...> with body, subject, thread, xml:lang, XHTML-IM (formatted_type
// "xhtml-im") and the chat state. `id` is the stanza id to use on this hop.
Element message_stanza(const presence::OutboundMessage& m, std::string_view id);

// <presence/> of `from` to `to`: show "" (available), chat, away, xa, dnd, or "unavailable"
// (type='unavailable'); status text when not empty (RFC 6121 §4.7.2.2).
Element presence_stanza(const presence::Address& from, const presence::Address& to,
                        std::string_view show, std::string_view status);

// <presence type='subscribe|subscribed|unsubscribed|unsubscribe|probe'/> from r.from to r.to.
Element subscription_stanza(const presence::SubscriptionRequest& r);

// <presence type='error'/> answering `r` (from r.to back to r.from), RFC 6120 §8.3.
Element presence_error_stanza(const presence::SubscriptionRequest& r,
                              const presence::StanzaError& error);

// <message type='error' id=in_id/> from `from` (the original recipient) to `to` (the sender).
Element message_error_stanza(std::string_view in_id, const presence::Address& to,
                             const presence::Address& from, const presence::StanzaError& error);

}  // namespace fedgate::xmpp
