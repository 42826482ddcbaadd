// SipAgent, requests from the network: transaction matching, the checks a UAS makes before
// anything else (RFC 3261 §8.2, §16.3: 483, 482, 420), OPTIONS, page MESSAGE, SUBSCRIBE,
// NOTIFY and PUBLISH, each answered on its server transaction.
#include "sip/bridge/agent.hpp"

// GCC 12 (-O1, ASan): Asio coroutine frame new/delete false positive (see agent.cpp).
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

#include <algorithm>
#include <array>

#include "sip/bridge/agent_persist.hpp"
#include "sip/bridge/options.hpp"
#include "sip/codec/error_response.hpp"

namespace fedgate::sip {

namespace asio = boost::asio;
namespace {

presence::Address address_of(const NameAddr& who) {
  auto a = presence::Address::make(who.uri.user, who.uri.host);
  if (a) {
    return *a;
  }
  auto domain_only = presence::Address::normalise_domain(who.uri.host);
  return domain_only ? presence::Address::make("_", *domain_only).value() : presence::Address{};
}

std::string_view phrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 420:
      return "Bad Extension";
    case 481:
      return "Call/Transaction Does Not Exist";
    case 482:
      return "Loop Detected";
    case 483:
      return "Too Many Hops";
    case 489:
      return "Bad Event";
    default:
      return status < 500 ? "Bad Request" : "Server Internal Error";
  }
}

// The option tags we understand in a Require header (§8.2.2.3).
constexpr std::array<std::string_view, 5> kUnderstood = {
    "eventlist", "adhoclist", "categoryList", "ms-benotify", "ms-piggyback-first-notify"};

Parties parties_of(const Request& request, const ConnectionHandle& from) {
  Parties parties;
  parties.from = address_of(request.from);
  parties.to = address_of(request.to);
  parties.peer = from.remote().host;
  return parties;
}

}  // namespace

namespace {

// RFC 3261 §18.2.1 and RFC 3581 §4: received= when the sent-by host is not the source address,
// rport= filled in when the client asked for it; so every response names the real source.
void stamp_top_via(Request& request, const PeerKey& source) {
  if (request.via.empty() || source.host.empty()) {
    return;
  }
  Via& top = request.via.front();
  if (top.host != source.host) {
    set_param(top.params, "received", source.host);
  }
  if (auto rport = top.rport(); rport && rport->empty() && source.port != 0) {
    set_param(top.params, "rport", std::to_string(source.port));
  }
}

// §16.4 as a UAS applies it: a Route entry naming us (a loose router's `lr` route to our
// federation FQDN) is consumed, never answered as a request to proxy.
void consume_own_routes(Request& request, const AgentConfig& config) {
  while (!request.route.empty()) {
    const Uri& top = request.route.front().uri;
    if (top.host != config.routing_fqdn || top.port.value_or(config.port) != config.port) {
      return;
    }
    request.route.erase(request.route.begin());
  }
}

}  // namespace

void SipAgent::on_request(Request request, const ConnectionHandle& from) {
  stamp_top_via(request, from.remote());
  consume_own_routes(request, config_);
  auto match = table_.on_request(request, true, Clock::now());
  if (!match) {
    metrics_.refused("no_via");
    log_.info("sip.agent.dropped", {{"reason", "no_via"}, {"peer", from.remote().host}});
    return;  // nowhere to send a response (§8.2.2: the transport answers 400 to these)
  }
  const RequestKind kind = match->kind;
  if (kind == RequestKind::absorbed) {
    apply(std::move(match->effects));
    return;
  }
  if (kind == RequestKind::ack) {
    serve_in_session(0, request);  // the ACK of a 2xx: for the IM session (RFC 6026 §8.7)
    return;
  }
  if (kind == RequestKind::merged) {
    metrics_.refused("merged_request");
    auto sent = from.send(make_error_response(request, 482, "Loop Detected", new_tag()));
    (void)sent;  // §8.2.2.2: stateless; a lost 482 is retransmitted by the peer's tx
    return;
  }
  servers_[match->tx].connection = from;
  apply(std::move(match->effects));  // 100 Trying for an INVITE
  metrics_.request(request.method == Method::other ? "other" : request.method_name(), "in");
  if (match->kind == RequestKind::cancel) {
    // §9.2: 200 to the CANCEL; 487 to the INVITE if it still awaits the layer above.
    if (match->cancelled && inviting_.erase(*match->cancelled) > 0) {
      if (const Request* invite = table_.request(*match->cancelled)) {
        respond(*match->cancelled,
                make_error_response(*invite, 487, "Request Terminated", new_tag()));
      }
    }
    refuse(match->tx, request, match->cancelled ? 200 : 481, "cancel");
    return;
  }
  if (auto refusal = screen(request)) {
    refuse(match->tx, request, refusal->first, refusal->second);
    return;
  }
  if (serve_now(match->tx, request, from)) {
    return;  // answered here: no coroutine for what needs no decision from above
  }
  // Handed on, not awaited: the agent strand goes on at once, so a slow decision above never
  // holds up the peer's other requests (a CANCEL included).
  Parties parties = parties_of(request, from);
  tasks_.spawn("sip.agent.serve", serve(match->tx, std::move(request), std::move(parties)));
}

// §16.3 / §8.2.2: checks before the method is looked at. nullopt: go on.
std::optional<std::pair<int, std::string>> SipAgent::screen(const Request& request) const {
  if (request.max_forwards && *request.max_forwards == 0 && request.method != Method::options) {
    return std::pair{483, std::string("too_many_hops")};
  }
  for (const auto& via : request.via) {
    if (via.host == config_.routing_fqdn && via.port.value_or(5061) == config_.port &&
        via.branch() && via.branch()->starts_with(kMagicCookie)) {
      return std::pair{482, std::string("loop_detected")};  // our own Via came back
    }
  }
  for (const auto& tag : request.require) {
    if (std::find(kUnderstood.begin(), kUnderstood.end(), tag) == kUnderstood.end()) {
      return std::pair{420, std::string("bad_extension")};
    }
  }
  return std::nullopt;
}

// What needs no decision from the layer above: answered at once on the agent strand (a
// NOTIFY's event is handed up without waiting). False: serve() must wait for a decision.
bool SipAgent::serve_now(TxId tx, const Request& request, const ConnectionHandle& from) {
  const bool in_dialog = request.to.tag().has_value();
  switch (request.method) {
    case Method::options:
      respond(tx, make_options_answer(request, config_, in_dialog ? "" : new_tag()));
      return true;
    case Method::notify:
    case Method::benotify:
      serve_notify(tx, request, parties_of(request, from));
      return true;
    case Method::subscribe:
      if (in_dialog) {
        serve_refresh(tx, request);
      }
      return in_dialog;
    case Method::message:
      if (in_dialog) {
        serve_in_session(tx, request);  // 481 when there is no such session
      }
      return in_dialog;
    case Method::bye:
    case Method::info:
      serve_in_session(tx, request);
      return true;
    case Method::publish:
      return false;
    case Method::invite:
      if (in_dialog) {
        refuse(tx, request, 405, "method_not_allowed");  // no re-INVITE in an IM session
      }
      return in_dialog;
    default:
      refuse(tx, request, 405, "method_not_allowed");
      return true;
  }
}

asio::awaitable<void> SipAgent::serve(TxId tx, Request request, Parties parties) {
  // Plain ifs, each co_await in its own statement (GCC 12: no co_await inside a switch).
  const Method method = request.method;
  if (method == Method::subscribe) {
    auto serving = serve_subscribe(tx, std::move(request), std::move(parties));
    co_await std::move(serving);
  } else if (method == Method::message) {
    auto serving = serve_page_message(tx, std::move(request), std::move(parties));
    co_await std::move(serving);
  } else if (method == Method::publish) {
    auto serving = serve_publish(tx, std::move(request), std::move(parties));
    co_await std::move(serving);
  } else if (method == Method::invite) {
    auto serving = serve_invite(tx, std::move(request), std::move(parties));
    co_await std::move(serving);
  } else {
    refuse(tx, request, 405, "method_not_allowed");
  }
}

asio::awaitable<void> SipAgent::serve_page_message(TxId tx, Request request, Parties parties) {
  const std::string tag = new_tag();
  PageMessageEvent e;
  e.parties = std::move(parties);
  e.request = request;
  auto deciding = events_.on_page_message(std::move(e));
  Answer a = co_await std::move(deciding);
  answer(tx, request, a, tag);
}

asio::awaitable<void> SipAgent::serve_publish(TxId tx, Request request, Parties parties) {
  const std::string tag = new_tag();
  PublishEvent e;
  e.parties = std::move(parties);
  e.request = request;
  auto deciding = events_.on_publish(std::move(e));
  Answer a = co_await std::move(deciding);
  answer(tx, request, a, tag);
}

// RFC 6665 §4.2.1: a new subscription; the layer above decides, the notifier answers.
asio::awaitable<void> SipAgent::serve_subscribe(TxId tx, Request request, Parties parties) {
  const TimePoint now = Clock::now();
  auto notifier =
      Notifier::create(request, new_tag(), local_endpoint(), config_.max_subscription_expires, now);
  if (!notifier) {
    auto e = static_cast<DialogErrc>(notifier.error().value());
    refuse(tx, request, status_for(e), "bad_subscribe");
    co_return;
  }
  const DialogId id = notifier->dialog().id();
  SubscribeEvent e;
  e.parties = std::move(parties);
  e.request = request;
  e.dialog = id;
  auto deciding = events_.on_subscribe(std::move(e));
  Answer a = co_await std::move(deciding);
  if (a.status >= 300) {
    answer(tx, request, a, id.local_tag);
    co_return;
  }
  respond(tx, notifier->accept(request, a.state, a.body));
  std::optional<Request> first;
  if (!notifier->piggybacked()) {
    first = notifier->notify(a.state, std::move(a.body), branches_, Clock::now());
  }
  auto& entry = notifiers_.insert_or_assign(id, NotifierEntry(std::move(*notifier))).first->second;
  if (auto wake = entry.usage.expires_at(); wake > now) {
    entry.wake = wake;
    notifier_wakes_.emplace(wake, id);
  }
  AgentPersist::notifier_changed(*this, id);
  if (first) {
    send_in_background("sip.agent.notify", std::move(*first), std::nullopt);
  }
}

// A refresh or un-SUBSCRIBE in a notifier's dialog (RFC 6665 §4.2.1.2, §4.2.1.4).
void SipAgent::serve_refresh(TxId tx, const Request& request) {
  auto it = notifiers_.find(incoming_dialog_id(request));
  if (it == notifiers_.end()) {
    refuse(tx, request, 481, "unknown_dialog");
    return;
  }
  auto reply = it->second.usage.on_subscribe(request, branches_, Clock::now());
  if (!reply) {
    auto e = static_cast<DialogErrc>(reply.error().value());
    refuse(tx, request, status_for(e), "bad_refresh");
    return;
  }
  respond(tx, std::move(reply->response));
  if (reply->notify) {
    send_in_background("sip.agent.notify", std::move(*reply->notify), std::nullopt);
    end_notifier(it->first, "unsubscribed");
    return;
  }
  auto& entry = it->second;
  if (entry.wake) {
    notifier_wakes_.erase({*entry.wake, it->first});
  }
  entry.wake = entry.usage.expires_at();
  notifier_wakes_.emplace(*entry.wake, it->first);
  AgentPersist::notifier_changed(*this, it->first);
}

// A NOTIFY/BENOTIFY for one of our subscriptions, found by Call-ID and our tag (the NOTIFY
// may come before the 200 and create the dialog, RFC 6665 §4.1.2.4).
void SipAgent::serve_notify(TxId tx, const Request& request, Parties parties) {
  SubscriberKey key{request.call_id, request.to.tag().value_or("")};
  auto it = subscribers_.find(key);
  if (it == subscribers_.end()) {
    if (request.method == Method::benotify) {
      table_.forget(tx);  // BENOTIFY gets no response (MS-SIPRE)
      servers_.erase(tx);
      return;
    }
    refuse(tx, request, 481, "unknown_subscription");
    return;
  }
  auto actions = it->second.usage.on_notify(request, Clock::now());
  if (actions.respond) {
    respond(tx, std::move(*actions.respond));
  } else {
    table_.forget(tx);  // a BENOTIFY: no response, no transaction (MS-SIPRE)
    servers_.erase(tx);
  }
  if (actions.notification) {
    DialogId id{request.call_id, key.second, request.from.tag().value_or("")};
    events_.on_notify(NotifyEvent{std::move(parties), id, *actions.notification});
    actions.notification.reset();
  }
  on_subscriber_actions(key, std::move(actions));
}

void SipAgent::answer(TxId tx, const Request& request, const Answer& a, std::string_view to_tag) {
  Response r = make_error_response(request, a.status, a.reason, to_tag);
  r.other.insert(r.other.end(), a.headers.begin(), a.headers.end());
  if (a.body) {
    r.content_type = a.body->type;
    r.body = a.body->bytes;
  }
  respond(tx, std::move(r));
}

void SipAgent::refuse(TxId tx, const Request& request, int status, std::string_view reason) {
  if (status >= 300) {
    metrics_.refused(reason);
    log_.info("sip.agent.refused", {{"method", request.method_name()},
                                    {"status", status},
                                    {"reason", reason},
                                    {"call", request.call_id}});
  }
  Response r = make_error_response(request, status, std::string(phrase(status)), new_tag());
  if (status == 405) {
    r.other.push_back({"Allow", std::string(kAllow)});
  }
  if (status == 420) {
    std::string unsupported;
    for (const auto& tag : request.require) {
      if (std::find(kUnderstood.begin(), kUnderstood.end(), tag) == kUnderstood.end()) {
        unsupported += (unsupported.empty() ? "" : ", ") + tag;
      }
    }
    r.other.push_back({"Unsupported", std::move(unsupported)});
  }
  respond(tx, std::move(r));
}

}  // namespace fedgate::sip
