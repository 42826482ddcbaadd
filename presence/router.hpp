// Router: the pure decision for one instant message (STYLE.md B2 step 4, sketch 4). No I/O,
// no clock: everything it needs is in its arguments. Owned by presence_router; called on the
// session's strand by gateway/app's Switchboard, which carries out the Decision.
// RFC 7572 (IM), RFC 7247 §6/§7 (addresses, errors); policy per issue 5.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "presence/error_mapping.hpp"
#include "presence/model/error_condition.hpp"
#include "presence/model/message.hpp"
#include "presence/model/subscription.hpp"
#include "presence/policy_snapshot.hpp"

namespace fedgate::presence {

struct Deliver {
  OutboundMessage message;
  friend bool operator==(const Deliver&, const Deliver&) = default;
};

// Refused loudly: the sender gets `condition` (mapped per RFC 7247 §7 by its bridge), the
// operator gets `reason` (metric label and log field).
struct Refuse {
  ErrorCondition condition = ErrorCondition::undefined_condition;
  std::string_view reason;  // stable snake_case token, static storage
  friend bool operator==(const Refuse&, const Refuse&) = default;
};

// Dropped: nothing is delivered and, where the protocol allows silence (XMPP), nothing is
// answered; a SIP request still needs a final response, which the SIP bridge sends as for
// an unknown user (404). Used for requests to an old native address (email for federation).
struct Drop {
  std::string_view reason;
  friend bool operator==(const Drop&, const Drop&) = default;
};

// The remote domain is unknown and open federation is on: discover it by DNS (XMPP first,
// then SIP), add it to open_federation_cache, then route again with the new snapshot.
struct Discover {
  std::string domain;
  friend bool operator==(const Discover&, const Discover&) = default;
};

using Decision = std::variant<Deliver, Refuse, Drop, Discover>;

// The decision for one message. Rules, in order:
//  1. the remote side's domain needing discovery → Discover;
//  2. PolicySnapshot::may_send → Refuse (relay_denied, local_to_local, domain_not_federated,
//     xmpp_policy_*): inbound refusals say forbidden; outbound say remote-server-not-found
//     for unfederated domains and policy-violation otherwise;
//  3. inbound: email for federation (old native address → Drop), the recipient's federation
//     flag and the recipient's IM rules for the sender (block → service-unavailable: the same
//     answer as for an absent user, so it reveals nothing);
//  4. outbound: the sender's federation flag and IM rules (block rules apply both ways);
//  5. Deliver, addressed as the recipient's side knows both users, with the delivery mode of
//     the recipient's side (XMPP stanza, SIP session mode for Lync/S4B/O365 and SIP homes,
//     page mode for standard SIP peers). Formatted bodies (XHTML-IM / text/html) travel
//     where both sides can carry them; page mode to standard SIP peers is plain text only.
Decision route(const InboundMessage& in, const PolicySnapshot& policy);

// Bouncing an accepted message back to its sender (STYLE.md B2 step 7): the sender is
// addressed as it wrote (native when local), with the error; sip carries the RFC 7247 §7
// response for a sender on the SIP side, with the diagnostic text in a Warning header.
struct BounceNotice {
  std::string in_id;  // the sender's message id / transaction
  Address to;         // the original sender
  Address from;       // the original recipient, as the sender addressed it
  StanzaError error;
  std::optional<SipErrorForm> sip;  // set when the sender's side speaks SIP
  friend bool operator==(const BounceNotice&, const BounceNotice&) = default;
};
BounceNotice bounce(const OutboundMessage& m, const StanzaError& error,
                    const PolicySnapshot& policy, std::string_view agent);

// The delivery mode towards a domain of class `c`.
DeliveryMode delivery_mode(const DomainClass& c) noexcept;

// One hop between a local and a remote user after address mapping and the domain checks
// (rules 1-3 above, without the per-user rules): shared by messages and subscriptions.
struct Leg {
  Address from;  // native when local; as received when remote
  Address to;
  bool inbound = false;  // remote → local
  DomainClass remote;    // class of the remote side's domain
  DomainClass local;     // class of the local side's domain
};
using LegOrRefusal = std::variant<Leg, Refuse, Drop, Discover>;
LegOrRefusal resolve_leg(const Address& from, const Address& to, const PolicySnapshot& policy);

}  // namespace fedgate::presence
