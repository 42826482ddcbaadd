// SipAgent, the dialog usages it drives and the requests it originates: page MESSAGE
// (RFC 3428), subscriptions in both directions (RFC 6665), keep-alive OPTIONS to configured
// peers (RFC 3261 §11, MS-CONMGMT), each usage's timers on the agent's strand.
#include "sip/bridge/agent.hpp"

// GCC 12 (-O1, ASan): Asio coroutine frame new/delete false positive (see agent.cpp).
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

#include <algorithm>

#include <fmt/format.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "sip/bridge/agent_persist.hpp"
#include "sip/bridge/options.hpp"
#include "sip/codec/error_response.hpp"
#include "sip/dialog/dialog_error.hpp"

namespace fedgate::sip {

namespace asio = boost::asio;
namespace {

std::string keepalive_name(const KeepAlivePeer& peer) {
  return peer.port ? fmt::format("{}:{}", peer.host, peer.port) : peer.host;
}

constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

// Built outside coroutines: GCC 12 mishandles aggregate braces in coroutine bodies.
DialogId subscription_id(const std::pair<std::string, std::string>& key, const Subscriber& s) {
  return DialogId{key.first, key.second, s.has_dialog() ? s.dialog().id().remote_tag : ""};
}

PeerStatusEvent peer_status(std::string peer, bool up, int status) {
  PeerStatusEvent e;
  e.peer = std::move(peer);
  e.up = up;
  e.status = status;
  return e;
}

NameAddr name_addr(const presence::Address& a) {
  return NameAddr::parse(fmt::format("<sip:{}>", a.bare())).value();
}

}  // namespace

asio::awaitable<Response> SipAgent::send_page_message(presence::Address from, presence::Address to,
                                                      Body body) {
  Request r;
  r.method = Method::message;
  r.request_uri = name_addr(to).uri;
  r.from = name_addr(from);
  set_param(r.from.params, "tag", new_tag());
  r.to = name_addr(to);
  r.call_id = fmt::format("{}@{}", new_tag(), config_.routing_fqdn);
  r.cseq.sequence = 1;
  r.cseq.method = Method::message;
  r.max_forwards = 70;
  r.via.push_back(local_endpoint().next_via(branches_));
  attach_body(r, std::move(body));
  auto sending = send_request(std::move(r));  // GCC 12: no temporaries in co_await
  co_return co_await std::move(sending);
}

asio::awaitable<result<DialogId>> SipAgent::subscribe(SubscribeRequest request) {
  SubscribeParams p;
  p.target = name_addr(request.presentity).uri;
  p.from = name_addr(request.watcher);
  set_param(p.from.params, "tag", new_tag());
  p.to = name_addr(request.presentity);
  p.call_id = fmt::format("{}@{}", new_tag(), config_.routing_fqdn);
  p.event.package = request.event;
  p.accept = std::move(request.accept);
  p.supported = std::move(request.supported);
  p.expires = config_.subscribe_expires;
  p.local = local_endpoint();
  auto on_strand = [this, p = std::move(p),
                    presentity =
                        request.presentity]() mutable -> asio::awaitable<result<DialogId>> {
    SubscriberKey key{p.call_id, p.from.tag().value_or("")};
    Subscriber usage{std::move(p)};
    Request first = usage.start(branches_);
    subscribers_.insert_or_assign(key, SubscriberEntry(std::move(usage), presentity));
    auto sending = send_and_feed(std::move(first), key);
    co_await std::move(sending);
    auto it = subscribers_.find(key);
    if (it == subscribers_.end()) {
      co_return make_error_code(DialogErrc::unknown_dialog);  // refused or failed
    }
    co_return subscription_id(key, it->second.usage);
  };
  auto spawned = asio::co_spawn(strand_, std::move(on_strand), asio::use_awaitable);
  co_return co_await std::move(spawned);
}

asio::awaitable<result<void>> SipAgent::unsubscribe(DialogId subscription) {
  auto on_strand = [this, subscription]() -> asio::awaitable<result<void>> {
    SubscriberKey key{subscription.call_id, subscription.local_tag};
    auto it = subscribers_.find(key);
    if (it == subscribers_.end() || !it->second.usage.has_dialog()) {
      co_return make_error_code(DialogErrc::unknown_dialog);
    }
    auto sending = send_and_feed(it->second.usage.unsubscribe(branches_), key);
    co_await std::move(sending);
    co_return result<void>{};
  };
  auto spawned = asio::co_spawn(strand_, std::move(on_strand), asio::use_awaitable);
  co_return co_await std::move(spawned);
}

// No coroutine on the agent's side: the request goes out through start_request() and the
// awaiting caller is resumed from its finisher (or at once for a BENOTIFY or an error).
asio::awaitable<result<Response>> SipAgent::notify(DialogId dialog, SubState state,
                                                   std::optional<Body> body, bool best_effort) {
  auto initiate = [this](auto handler, DialogId id, SubState s, std::optional<Body> b,
                         bool effort) {
    auto waiting = std::make_shared<decltype(handler)>(std::move(handler));
    auto done = [waiting](result<Response> r) {
      auto ex = asio::get_associated_executor(*waiting);
      asio::dispatch(ex, [waiting, r = std::move(r)]() mutable { (*waiting)(std::move(r)); });
    };
    asio::dispatch(strand_, [this, done, id = std::move(id), s, b = std::move(b),
                             effort]() mutable { notify_now(id, s, std::move(b), effort, done); });
  };
  co_return co_await asio::async_initiate<decltype(asio::use_awaitable), void(result<Response>)>(
      initiate, asio::use_awaitable, std::move(dialog), state, std::move(body), best_effort);
}

void SipAgent::notify_now(const DialogId& dialog, SubState state, std::optional<Body> body,
                          bool best_effort, std::function<void(result<Response>)> done) {
  auto it = notifiers_.find(dialog);
  if (it == notifiers_.end()) {
    done(make_error_code(DialogErrc::unknown_dialog));
    return;
  }
  const bool last = state == SubState::terminated;
  Request r = last ? it->second.usage.terminate("noresource", std::move(body), branches_)
                   : it->second.usage.notify(state, std::move(body), branches_, Clock::now(),
                                             best_effort);
  if (last) {
    end_notifier(dialog, "terminated");
  } else {
    AgentPersist::notifier_changed(*this, dialog);  // the CSeq advanced
  }
  if (r.method == Method::benotify) {  // MS-SIPRE: no response, no transaction
    metrics_.request("BENOTIFY", "out");
    Response written = make_error_response(r, 200, "OK");
    if (!send_now(r)) {
      tasks_.spawn("sip.agent.benotify", send_outside_transaction(std::move(r)));
    }
    done(std::move(written));
    return;
  }
  start_request(std::move(r), [this, dialog, last, done = std::move(done)](Response response) {
    if (!last && (response.status == 481 || response.status == 408)) {
      end_notifier(dialog, "notify_failed");  // RFC 6665 §4.2.2
    }
    done(std::move(response));
  });
}

// Sends a usage's request and hands the final response to its subscriber (if any).
asio::awaitable<void> SipAgent::send_and_feed(Request request, std::optional<SubscriberKey> key) {
  auto sending = transact(std::move(request));
  Response response = co_await std::move(sending);
  if (!key) {
    co_return;
  }
  auto it = subscribers_.find(*key);
  if (it == subscribers_.end()) {
    co_return;
  }
  on_subscriber_actions(*key, it->second.usage.on_response(response, Clock::now()));
  rearm();
}

void SipAgent::send_in_background(std::string name, Request request,
                                  std::optional<SubscriberKey> key) {
  tasks_.spawn(std::move(name), send_and_feed(std::move(request), std::move(key)));
}

void SipAgent::on_subscriber_actions(const SubscriberKey& key, SubscriberActions actions) {
  auto it = subscribers_.find(key);
  if (it == subscribers_.end()) {
    return;
  }
  auto& entry = it->second;
  if (actions.notification) {
    DialogId id{key.first, key.second,
                entry.usage.has_dialog() ? entry.usage.dialog().id().remote_tag : ""};
    events_.on_notify(NotifyEvent{Parties{entry.presentity, {}, {}}, id, *actions.notification});
  }
  if (entry.wake && (actions.wake_at || actions.ended)) {  // a NOTIFY keeps the refresh
    subscriber_wakes_.erase({*entry.wake, key});
    entry.wake.reset();
  }
  if (actions.ended) {
    DialogId id{key.first, key.second, ""};
    events_.on_subscription_ended(
        SubscriptionEndedEvent{id, entry.presentity, std::move(*actions.ended)});
    subscribers_.erase(it);
    AgentPersist::ended(*this, UsageKind::subscriber, id);
    return;
  }
  if (actions.wake_at) {
    entry.wake = actions.wake_at;
    subscriber_wakes_.emplace(*actions.wake_at, key);
  }
  AgentPersist::subscriber_changed(*this, key);
}

void SipAgent::wake_usages(TimePoint now) {
  while (!subscriber_wakes_.empty() && subscriber_wakes_.begin()->first <= now) {
    SubscriberKey key = subscriber_wakes_.begin()->second;
    subscriber_wakes_.erase(subscriber_wakes_.begin());
    auto& entry = subscribers_.at(key);
    entry.wake.reset();
    SubscriberActions expired;
    auto refresh = entry.usage.on_wake(now, branches_, &expired);
    if (refresh) {
      send_in_background("sip.agent.refresh", std::move(*refresh), key);
    }
    on_subscriber_actions(key, std::move(expired));
  }
  while (!notifier_wakes_.empty() && notifier_wakes_.begin()->first <= now) {
    DialogId id = notifier_wakes_.begin()->second;
    notifier_wakes_.erase(notifier_wakes_.begin());
    auto& entry = notifiers_.at(id);
    entry.wake.reset();
    if (auto last = entry.usage.on_wake(now, branches_)) {
      send_in_background("sip.agent.notify", std::move(*last), std::nullopt);
      end_notifier(id, "expired");
    }
  }
}

void SipAgent::end_notifier(DialogId id, std::string reason) {
  auto it = notifiers_.find(id);
  if (it == notifiers_.end()) {
    return;
  }
  if (it->second.wake) {
    notifier_wakes_.erase({*it->second.wake, id});
  }
  notifiers_.erase(it);
  AgentPersist::ended(*this, UsageKind::notifier, id);
  events_.on_watcher_gone(WatcherGoneEvent{id, std::move(reason)});
}

// Every interval, an OPTIONS to each configured peer; a change of state is an event, a log
// line and the gauge (a peer is up when it answers at all).
asio::awaitable<void> SipAgent::keepalive_loop() {
  asio::steady_timer timer(strand_);
  while (!stopped_) {
    for (const auto& peer : config_.keepalive_peers) {
      tasks_.spawn("sip.agent.ping", ping(peer));
    }
    timer.expires_after(config_.keepalive_interval);
    auto [ec] = co_await timer.async_wait(kNoThrow);
    if (ec) {
      break;
    }
  }
}

// Policy reloads: the next round pings the new list; a peer that left no longer counts as up.
void SipAgent::set_keepalive_peers(std::vector<KeepAlivePeer> peers) {
  asio::dispatch(strand_, [this, peers = std::move(peers)]() mutable {
    config_.keepalive_peers = std::move(peers);
    std::erase_if(peer_up_, [this](const auto& entry) {
      const bool kept = std::ranges::any_of(config_.keepalive_peers, [&](const auto& p) {
        return keepalive_name(p) == entry.first;
      });
      if (!kept && entry.second) {
        metrics_.peer_up(false);
      }
      return !kept;
    });
  });
}

asio::awaitable<void> SipAgent::ping(KeepAlivePeer peer) {
  Request r = make_keepalive_options(peer, config_, branches_.next(), new_tag(),
                                     fmt::format("{}@{}", new_tag(), config_.routing_fqdn));
  auto sending = transact(std::move(r));
  Response response = co_await std::move(sending);
  const bool up = response.status < 300 || (response.status != 408 && response.status != 503);
  const std::string name = keepalive_name(peer);
  auto [it, fresh] = peer_up_.try_emplace(name, !up);
  if (fresh || it->second != up) {
    if (!fresh || up) {
      metrics_.peer_up(up);
    }
    it->second = up;
    log_.info(up ? "sip.agent.peer_up" : "sip.agent.peer_down",
              {{"peer", name}, {"status", response.status}});
    events_.on_peer_status(peer_status(name, up, response.status));
  }
}

}  // namespace fedgate::sip
