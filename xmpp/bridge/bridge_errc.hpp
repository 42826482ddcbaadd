// BridgeErrc: why an XMPP stanza could not be turned into a neutral presence_model value
// (bad addresses, unknown types). Owned by xmpp_net's bridge; plain error enum + category,
// any executor. The switchboard answers such stanzas with RFC 6120 §8.3.3 errors.
#pragma once

#include <boost/system/error_code.hpp>
#include <type_traits>

#include "presence/model/error_condition.hpp"
#include "xmpp/codec/stanza.hpp"

namespace fedgate::xmpp {

enum class BridgeErrc {
  not_a_stanza = 1,  // not message/presence in jabber:server or jabber:client
  bad_from,          // missing 'from', or not a user address (RFC 7622 + RFC 7247 §6)
  bad_to,            // missing 'to', or not a user address
  bad_type,          // a 'type' RFC 6121 does not define for this stanza
  no_error_element,  // type='error' without <error/>
};

const boost::system::error_category& bridge_category() noexcept;
boost::system::error_code make_error_code(BridgeErrc e) noexcept;

// The stanza error a sender gets for a stanza the bridge refused (jid-malformed, bad-request).
StanzaErrc wire_condition(BridgeErrc e) noexcept;

// RFC 6120 §8.3.3 conditions on both sides carry the same names (presence_model took them
// from the RFC): a one-to-one mapping.
presence::ErrorCondition to_condition(StanzaErrc e) noexcept;
StanzaErrc to_stanza_errc(presence::ErrorCondition c) noexcept;

}  // namespace fedgate::xmpp

template <>
struct boost::system::is_error_code_enum<fedgate::xmpp::BridgeErrc> : std::true_type {};
