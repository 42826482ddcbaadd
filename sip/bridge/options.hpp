// OPTIONS (RFC 3261 §11): the answer fedgate gives (Allow, Accept, Supported with the
// Microsoft options it implements, Contact) and the keep-alive OPTIONS it sends to configured
// peers (with Contact: Lync marks a peer without it inactive). The transport adds the
// MS-CONMGMT Ms-Keep-Alive offer/answer itself. Owned by sip_net; pure functions, any thread.
#pragma once

#include <string>
#include <string_view>

#include "sip/bridge/agent_config.hpp"
#include "sip/codec/message.hpp"

namespace fedgate::sip {

inline constexpr std::string_view kAllow =
    "INVITE, ACK, CANCEL, BYE, OPTIONS, MESSAGE, INFO, SUBSCRIBE, NOTIFY, BENOTIFY, PUBLISH";
inline constexpr std::string_view kAccept =
    "application/sdp, text/plain, text/html, application/pidf+xml, "
    "application/msrtc-event-categories+xml, application/rlmi+xml, multipart/related, "
    "application/im-iscomposing+xml, text/x-msmsgsinvite";
inline constexpr std::string_view kSupported[] = {"ms-benotify",    "ms-piggyback-first-notify",
                                                  "ms-text-format", "ms-keep-alive",
                                                  "eventlist",      "adhoclist",
                                                  "categoryList"};

// <sip:FQDN:PORT;transport=tls>: our Contact (and Record-Route, with ;lr).
NameAddr agent_contact(const AgentConfig& config);
// Via sent-by for requests we originate (no branch).
Via agent_via(const AgentConfig& config);

// The 200 to an OPTIONS (§11.2).
Response make_options_answer(const Request& options, const AgentConfig& config,
                             std::string_view to_tag);
// A keep-alive OPTIONS to `peer`, with Contact; `branch`, `tag` and `call_id` come from the
// caller.
Request make_keepalive_options(const KeepAlivePeer& peer, const AgentConfig& config,
                               std::string branch, std::string tag, std::string call_id);

}  // namespace fedgate::sip
