// SIP edge forms: the pure translations the SipEdge needs between the policy rows, the
// switchboard's neutral values and the SipAgent's vocabulary (dialog references stored in
// Subscription/ChatSession::sip_dialog, home routes, keep-alive peers, presence bodies, answers).
// Owned by fedgate_app; pure, any thread. RFC 6665 §4.1.3, RFC 7247 §7, MS-PRES §2.2.2.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "presence/chat_session_machine.hpp"
#include "presence/model/error_condition.hpp"
#include "presence/model/presence.hpp"
#include "presence/model/subscription.hpp"
#include "presence/policy_rows.hpp"
#include "presence/policy_snapshot.hpp"
#include "sip/bridge/agent_config.hpp"
#include "sip/bridge/static_routes.hpp"
#include "sip/codec/message.hpp"
#include "sip/dialog/dialog.hpp"
#include "sip/dialog/subscriber.hpp"
#include "sip/dialog/usage.hpp"

namespace fedgate::gateway {

// ChatSession::sip_dialog of a conversation carried in page mode because the far side refused
// session mode (405/501 to the INVITE): every message then goes as an RFC 3428 MESSAGE.
inline constexpr std::string_view kPageModeSession = "page";

// "E1\n<Call-ID>\n<local tag>\n<remote tag>": the reference the switchboard stores for a dialog
// the agent holds. It names the live dialog on this node; it does not restore one (the agent
// has no export of its usages yet).
std::string encode_dialog_ref(const sip::DialogId& id);
std::optional<sip::DialogId> decode_dialog_ref(std::string_view text);

// The policy's static routes plus one domain route per local domain whose home is SIP and has
// a home_host (pattern = the reversed domain, home_port or 5061, the row's transport). The
// default route ".*" is kept only when it routes (unblocked, with a next hop).
std::vector<sip::StaticRouteRow> routes_with_homes(const presence::PolicyRows& rows);
// The tls_peer_subjects names, for sip::subject_filter.
std::vector<std::string> peer_subjects(const presence::PolicyRows& rows);

// Keep-alive OPTIONS targets (Microsoft marks a federation peer inactive without them): every
// SIP home with a home_host, then every SIP federated domain (located by DNS).
std::vector<sip::KeepAlivePeer> keepalive_peers(const presence::PolicyRows& rows);

// The tls_peer_subjects / incoming_acl entries as plain names.
std::vector<std::string> acl_entries(const presence::PolicyRows& rows);

// True when the SUBSCRIBE's Accept lists application/msrtc-event-categories+xml.
bool accepts_msrtc(const sip::Request& subscribe);
// What our SUBSCRIBE asks for: the Microsoft list towards Lync/S4B peers, PIDF otherwise.
std::vector<std::string> subscribe_accept(bool microsoft);
std::vector<std::string> subscribe_supported(bool microsoft);
// True when `domain` is a SIP federated domain with a Microsoft integration, or a local domain
// whose home speaks SIP (it may be a Lync / S4B pool; msrtc is asked first, PIDF still offered).
bool microsoft_peer(std::string_view domain, const presence::PolicySnapshot& policy);

// The NOTIFY body for a watcher: msrtc categories (availability from the state map) when it
// accepts them, else PIDF + RPID.
sip::Body presence_body_for(const presence::Presence& p, const presence::PolicySnapshot& policy,
                            bool msrtc);
// A presence document that says "offline" for `entity` (polite blocking, a first NOTIFY).
presence::Presence offline_presence(const presence::Address& entity);

presence::SubscriptionState state_from(sip::SubState s) noexcept;
// RFC 6665 §4.1.3 reason for a subscription the far side ended or refused: the NOTIFY's reason,
// else by status (403/603 rejected, 404/410/480/604 noresource, 408 timeout, else giveup),
// "timeout" when the far side asked for a retry.
std::string end_reason(const sip::SubscriptionEnd& end);

presence::SipAnswer sip_answer(const sip::Response& response);
presence::SipAnswer sip_answer(int status);

// The RFC 7247 §7 status and reason phrase for a refusal.
struct SipRefusal {
  int status = 403;
  std::string reason;
};
SipRefusal refusal_for(presence::ErrorCondition condition);

// The text of a bounce notice sent to a SIP sender in page mode (no user content).
std::string bounce_text(const presence::Address& recipient, const presence::StanzaError& error);

}  // namespace fedgate::gateway
