// SipSide: the port through which the Switchboard hands SIP-bound effects to the SIP
// connection manager (sip/bridge, implemented by the SIP engineer). Called on the
// switchboard's strand; implementations must not block (hop to their own executor). Answers
// come back through the Switchboard's public on_*() calls. RFC 8048, RFC 7572, RFC 7247 §7.
#pragma once

#include "presence/chat_effects.hpp"
#include "presence/router.hpp"
#include "presence/subscription_effects.hpp"

namespace fedgate::gateway {

class SipSide {
 public:
  virtual ~SipSide() = default;

  // Subscriptions and presence (presence/subscription_effects.hpp).
  virtual void send_subscription(const presence::SendSubscription& e) = 0;
  virtual void send_presence(const presence::SendPresence& e) = 0;
  virtual void refresh_subscription(const presence::RefreshSubscription& e) = 0;
  // The requester is on the SIP side: answer its SUBSCRIBE with the refusal (RFC 7247 §7).
  virtual void refuse_request(const presence::RefuseRequest& e) = 0;

  // Instant messages (presence/chat_effects.hpp); results via Switchboard::on_invite_answer /
  // on_message_answer.
  virtual void send_invite(const presence::SendInvite& e) = 0;
  virtual void send_in_dialog(const presence::SendInDialog& e) = 0;
  virtual void send_page(const presence::SendPage& e) = 0;
  virtual void send_bye(const presence::SendBye& e) = 0;

  // An accepted message from a SIP sender could not be delivered: tell the sender
  // (notice.sip holds the RFC 7247 §7 response form).
  virtual void bounce(const presence::BounceNotice& notice) = 0;
};

}  // namespace fedgate::gateway
