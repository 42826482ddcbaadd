// AgentEvents: what a SipAgent raises upward (to the Switchboard's adapter), in SIP terms
// plus presence::Address. Methods returning an Answer decide the response to a request;
// the others are notifications. All are called on the agent's strand: keep them short or
// hand the work on. RFC 3428 (MESSAGE), RFC 6665 (SUBSCRIBE/NOTIFY), RFC 3903 (PUBLISH).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "presence/model/address.hpp"
#include "sip/codec/message.hpp"
#include "sip/dialog/dialog.hpp"
#include "sip/dialog/im_session.hpp"
#include "sip/dialog/subscriber.hpp"
#include "sip/dialog/usage.hpp"

namespace fedgate::sip {

// The response the layer above wants for a request. For a SUBSCRIBE a 2xx creates the
// notifier; `body` is then the first notification (piggy-backed when the watcher allows it).
struct Answer {
  int status = 200;
  std::string reason = "OK";
  std::optional<Body> body;
  SubState state = SubState::active;  // SUBSCRIBE only
  HeaderList headers;                 // extra headers, e.g. SIP-ETag and Expires for PUBLISH
};

// Who sent a request and to whom, as the neutral model sees them.
struct Parties {
  presence::Address from;
  presence::Address to;
  std::string peer;  // the far end of the connection (host), for logs and policy
};

struct PageMessageEvent {  // an out-of-dialog MESSAGE (RFC 3428)
  Parties parties;
  Request request;
};
struct SubscribeEvent {  // a new SUBSCRIBE (a refresh is handled by the agent)
  Parties parties;
  Request request;
  DialogId dialog;  // the notifier's dialog, if the answer is a 2xx
};
struct PublishEvent {  // a PUBLISH (RFC 3903); the agent keeps no publication state
  Parties parties;
  Request request;
};
struct NotifyEvent {  // a NOTIFY/BENOTIFY in one of our subscriptions (answered already)
  Parties parties;
  DialogId dialog;
  Notification notification;
};
struct SubscriptionEndedEvent {  // one of our subscriptions ended (retry_after: re-subscribe)
  DialogId dialog;
  presence::Address presentity;
  SubscriptionEnd end;
};
struct WatcherGoneEvent {  // a notifier ended: un-SUBSCRIBE, expiry, or a failed NOTIFY
  DialogId dialog;
  std::string reason;
};
struct InviteEvent {  // an incoming session-mode IM INVITE (accepted unless refused)
  Parties parties;
  Request request;
  DialogId dialog;
  std::optional<Body> first_message;  // from ms-text-format
};
struct SessionMessageEvent {  // a MESSAGE or INFO in an IM session
  Parties parties;
  DialogId dialog;
  Body body;
  std::uint32_t cseq = 0;  // of the request carrying it (unique within the dialog)
};
struct SessionEndedEvent {
  DialogId dialog;
  ImEndReason reason = ImEndReason::bye_received;
};
struct PeerStatusEvent {  // a keep-alive peer changed state (OPTIONS answered or not)
  std::string peer;
  bool up = false;
  int status = 0;  // the response status, 408 on timeout, 503 on a transport failure
};

class AgentEvents {
 public:
  virtual ~AgentEvents() = default;
  virtual boost::asio::awaitable<Answer> on_page_message(PageMessageEvent e) = 0;
  virtual boost::asio::awaitable<Answer> on_subscribe(SubscribeEvent e) = 0;
  virtual boost::asio::awaitable<Answer> on_publish(PublishEvent e) = 0;
  virtual boost::asio::awaitable<Answer> on_invite(InviteEvent e) = 0;
  virtual void on_notify(NotifyEvent e) = 0;
  virtual void on_subscription_ended(SubscriptionEndedEvent e) = 0;
  virtual void on_watcher_gone(WatcherGoneEvent e) = 0;
  virtual void on_session_message(SessionMessageEvent e) = 0;
  // A MESSAGE or INFO in an IM session, answered with what this returns: a 2xx only once the
  // layer above holds the message durably (DESIGN.md B2 step 5). The default hands it to
  // on_session_message and answers 200.
  virtual boost::asio::awaitable<Answer> decide_session_message(SessionMessageEvent e);
  // The same without a coroutine: true when taken (`e` and `done` moved from), and `done` then
  // runs exactly once, on any thread. The default takes nothing: the agent awaits the above.
  virtual bool decide_session_message_now(SessionMessageEvent& /*e*/,
                                          std::function<void(Answer)>& /*done*/) {
    return false;
  }
  virtual void on_session_ended(SessionEndedEvent e) = 0;
  virtual void on_peer_status(PeerStatusEvent e) = 0;
};

inline boost::asio::awaitable<Answer> AgentEvents::decide_session_message(SessionMessageEvent e) {
  on_session_message(std::move(e));
  Answer ok;  // not aggregate braces in a coroutine (GCC 12)
  co_return ok;
}

// The outcome of open_session(): status 2xx with the dialog, or the refusal.
struct SessionOpened {
  int status = 0;
  DialogId dialog;
  bool first_delivered = false;  // Supported: ms-text-format in the 200 (MS-SIPRE)
};

// What the layer above asks for when it subscribes to a presentity.
struct SubscribeRequest {
  // A constructor, not aggregate initialisation (GCC 12 in coroutines, see PeerKey).
  SubscribeRequest(presence::Address w, presence::Address p)
      : watcher(std::move(w)), presentity(std::move(p)) {}
  presence::Address watcher;
  presence::Address presentity;
  std::string event = "presence";
  std::vector<std::string> accept = {"application/pidf+xml"};
  std::vector<std::string> supported;  // e.g. ms-benotify, ms-piggyback-first-notify
};

}  // namespace fedgate::sip
