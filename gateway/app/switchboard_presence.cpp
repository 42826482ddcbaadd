// Switchboard, subscriptions and presence: the SubscriptionMachine's effects carried out —
// persisted through the stores (ids back with on_saved), sent over XMPP or handed to the SIP
// side, refusals answered and counted. RFC 8048 §5-§7, RFC 6121 §3/§4, RFC 6665 §4.1.3.
#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>

#include "gateway/app/switchboard.hpp"
#include "gateway/app/switchboard_blocking.hpp"
#include "xmpp/bridge/stanza_out.hpp"

namespace fedgate::gateway {

namespace asio = boost::asio;
using presence::ErrorCondition;

namespace {

std::string_view action_name(presence::SubscriptionAction a) {
  switch (a) {
    case presence::SubscriptionAction::subscribe:
      return "subscribe";
    case presence::SubscriptionAction::approve:
      return "approve";
    case presence::SubscriptionAction::deny:
      return "deny";
    case presence::SubscriptionAction::cancel:
      return "cancel";
    case presence::SubscriptionAction::probe:
      return "probe";
  }
  return "unknown";
}

}  // namespace

asio::awaitable<void> Switchboard::handle_request(presence::SubscriptionRequest r,
                                                  bool may_discover) {
  auto policy = snapshot();
  if (policy == nullptr) {
    metrics_.decision("subscription", "refuse", "policy_not_loaded");
    static const presence::PolicySnapshot kNoPolicy{presence::PolicyRows{}};
    refuse_request({r, {ErrorCondition::service_unavailable, "policy_not_loaded"}}, kNoPolicy);
    co_return;
  }
  log_.debug("subscription.request",
             {{"action", action_name(r.action)}, {"peer", r.from.domain()}});
  auto fx = subs_.on_request(r, *policy, std::chrono::system_clock::now());
  std::optional<presence::SubscriptionRequest> replay;
  if (may_discover) {
    replay = std::move(r);
  }
  co_await run_subscription(std::move(fx), std::move(replay));
}

// A document comes from the SIP side: its domain must still be reached over SIP (a SIP home, a
// SIP federated or SIP-discovered domain). One taken off sip_federated_domains while its
// dialogs live gets nothing more through, even where XMPP default allow now covers the name.
asio::awaitable<void> Switchboard::handle_document(presence::Presence doc) {
  auto policy = snapshot();
  if (policy == nullptr) {
    co_return;
  }
  if (!sip_bound(doc.entity.domain(), *policy)) {
    metrics_.decision("presence", "drop", "domain_not_sip_federated");
    log_.info("presence.dropped",
              {{"peer", doc.entity.domain()}, {"reason", "domain_not_sip_federated"}});
    co_return;
  }
  auto fx = subs_.on_presence_document(doc, *policy);
  co_await run_subscription(std::move(fx), std::nullopt);
}

asio::awaitable<void> Switchboard::handle_sip_state(presence::SipSubscriptionEvent e) {
  auto policy = snapshot();
  if (policy == nullptr) {
    co_return;
  }
  auto fx = subs_.on_sip_state(e, *policy, std::chrono::system_clock::now());
  co_await run_subscription(std::move(fx), std::nullopt);
}

asio::awaitable<void> Switchboard::run_subscription(
    presence::SubscriptionEffects fx, std::optional<presence::SubscriptionRequest> replay) {
  auto policy = snapshot();
  for (const auto& effect : fx.effects) {
    if (auto* d = std::get_if<presence::Discover>(&effect)) {
      bool found = false;
      if (replay.has_value()) {
        found = co_await discover(d->domain);
      }
      if (found) {
        presence::SubscriptionRequest again = *replay;
        co_await handle_request(std::move(again), false);  // once: no further discovery
      } else if (replay && policy != nullptr) {
        refuse_request({*replay, {ErrorCondition::remote_server_not_found, "discovery_failed"}},
                       *policy);
      }
    } else if (std::holds_alternative<presence::SaveSubscription>(effect) ||
               std::holds_alternative<presence::RemoveSubscription>(effect) ||
               std::holds_alternative<presence::SavePresence>(effect)) {
      co_await persist(effect);
    } else if (policy != nullptr) {
      send_effect(effect, *policy);
    }
  }
  if (fx.wake_at && (!subs_wake_ || *fx.wake_at < *subs_wake_)) {
    subs_wake_ = fx.wake_at;
  }
}

bool Switchboard::needs_store(const presence::SubscriptionEffects& fx) {
  return std::any_of(fx.effects.begin(), fx.effects.end(), [](const auto& e) {
    return std::holds_alternative<presence::Discover>(e) ||
           std::holds_alternative<presence::SaveSubscription>(e) ||
           std::holds_alternative<presence::RemoveSubscription>(e);
  });
}

// run_subscription for effects of which none needs_store (no replay: nothing to discover).
void Switchboard::run_subscription_now(presence::SubscriptionEffects& fx) {
  auto policy = snapshot();
  for (const auto& effect : fx.effects) {
    if (auto* save_presence = std::get_if<presence::SavePresence>(&effect)) {
      note_presence(save_presence->presence);
    } else if (policy != nullptr) {
      send_effect(effect, *policy);
    }
  }
  if (fx.wake_at && (!subs_wake_ || *fx.wake_at < *subs_wake_)) {
    subs_wake_ = fx.wake_at;
  }
}

asio::awaitable<void> Switchboard::persist(const presence::SubscriptionEffect& effect) {
  if (auto* save = std::get_if<presence::SaveSubscription>(&effect)) {
    const auto& s = save->subscription;
    auto id = co_await blocking([this, &s] { return deps_.subscriptions.save(s); });
    if (id) {
      subs_.on_saved(s.watcher, s.presentity, *id);
    } else {
      metrics_.store_error("subscription_save");
      log_.warn("subscription.not_saved", {{"error", presence::to_string(id.error())}});
    }
  } else if (auto* remove = std::get_if<presence::RemoveSubscription>(&effect)) {
    auto id = remove->subscription.id;
    if (id > 0) {
      auto done = co_await blocking([this, id] { return deps_.subscriptions.remove(id); });
      if (!done) {
        metrics_.store_error("subscription_remove");
      }
    }
  } else if (auto* save_presence = std::get_if<presence::SavePresence>(&effect)) {
    note_presence(save_presence->presence);
  }
}

// Presence cache write-behind: a presence update never waits for the store. The cache serves
// one purpose, restore(): after a restart the machine answers probes from it at once (RFC 6121
// §4.3) and knows what it last relayed. The machine itself keeps the latest document of every
// entity in memory, so nothing reads the store while running. Losing the last interval (plus
// one write) to kill -9 is harmless: the restored document is merely older, and the entity's
// next update (or the home server's answer to a probe) replaces it; the store's publish_time
// rule keeps an older document from overwriting a newer one. A graceful stop flushes.
void Switchboard::note_presence(const presence::Presence& p) {
  presence_dirty_.note(p.entity.str(), p);
  if (!presence_flushing_) {
    presence_flushing_ = true;
    deps_.tasks.spawn("switchboard.presence_flush",
                      asio::co_spawn(strand_, presence_flush_loop(), asio::use_awaitable));
  } else if (presence_hurry_ && presence_dirty_.size() >= config_.presence_flush_batch) {
    presence_hurry_();  // full: write now
  }
}

// One store round per interval with the latest document of every entity changed meanwhile; a
// failed round keeps them (newer documents win) and waits longer. Cancelled (the node stops):
// one last round, then done.
asio::awaitable<void> Switchboard::presence_flush_loop() {
  // The task group's stop is total cancellation; it must not throw out of the last round.
  co_await asio::this_coro::reset_cancellation_state(asio::enable_total_cancellation());
  co_await asio::this_coro::throw_if_cancelled(false);
  asio::steady_timer timer(strand_);
  bool stopping = false;
  while (!presence_dirty_.empty()) {
    if (!stopping) {
      timer.expires_after(presence_retry_.next());
      presence_hurry_ = [&timer] { timer.cancel(); };
      auto [ec] = co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
      presence_hurry_ = nullptr;
      auto state = co_await asio::this_coro::cancellation_state;
      stopping = ec && state.cancelled() != asio::cancellation_type::none;
    }
    auto batch = presence_dirty_.take();
    bool written = co_await write_presence(batch);
    if (written) {
      presence_retry_.succeeded();
    } else {
      presence_dirty_.give_back(std::move(batch));
      presence_retry_.failed();
      auto retry = std::chrono::duration_cast<std::chrono::milliseconds>(presence_retry_.next());
      log_.warn("presence.cache_not_written",
                {{"entities", presence_dirty_.size()}, {"retry_ms", retry.count()}});
      if (stopping) {
        break;  // no retry while stopping: the documented window
      }
    }
  }
  presence_flushing_ = false;
}

asio::awaitable<bool> Switchboard::write_presence(PresenceBatch& batch) {
  std::vector<presence::Presence> documents;
  documents.reserve(batch.size());
  for (const auto& [entity, p] : batch) {
    documents.push_back(p);
  }
  auto write = [this, &documents] { return deps_.presence_cache.put_all(documents); };
  auto op = blocking(std::move(write));
  auto written = co_await std::move(op);
  if (!written) {
    metrics_.store_error("presence_put");
    co_return false;
  }
  metrics_.presence_written(*written);  // stale documents (a newer one is stored) not counted
  co_return true;
}

void Switchboard::send_effect(const presence::SubscriptionEffect& effect,
                              const presence::PolicySnapshot& p) {
  if (auto* send = std::get_if<presence::SendSubscription>(&effect)) {
    send_subscription(*send, p);
  } else if (auto* presence = std::get_if<presence::SendPresence>(&effect)) {
    send_presence(*presence, p);
  } else if (auto* refuse = std::get_if<presence::RefuseRequest>(&effect)) {
    refuse_request(*refuse, p);
  } else if (auto* refresh = std::get_if<presence::RefreshSubscription>(&effect)) {
    if (sip_ != nullptr) {
      sip_->refresh_subscription(*refresh);
    } else {
      metrics_.sip_unavailable("refresh_subscription");
    }
  } else if (auto* drop = std::get_if<presence::Drop>(&effect)) {
    metrics_.decision("subscription", "drop", drop->reason);
    log_.info("subscription.dropped", {{"reason", drop->reason}});
  }
}

bool Switchboard::sip_bound(std::string_view domain, const presence::PolicySnapshot& p) const {
  return p.classify(domain).protocol == presence::Protocol::sip;
}

void Switchboard::send_subscription(const presence::SendSubscription& e,
                                    const presence::PolicySnapshot& p) {
  const auto& r = e.request;
  metrics_.decision("subscription", "deliver", action_name(r.action));
  if (!sip_bound(r.to.domain(), p)) {
    send_xmpp(r.from.domain(), r.to.domain(), xmpp::subscription_stanza(r));
  } else if (sip_ != nullptr) {
    sip_->send_subscription(e);
  } else {
    metrics_.sip_unavailable("send_subscription");
    log_.warn("subscription.sip_unavailable", {{"peer", r.to.domain()}});
    if (r.action == presence::SubscriptionAction::subscribe ||
        r.action == presence::SubscriptionAction::probe) {
      refuse_request({r, {ErrorCondition::remote_server_not_found, "sip_side_missing"}}, p);
    }
  }
}

void Switchboard::send_presence(const presence::SendPresence& e,
                                const presence::PolicySnapshot& p) {
  if (!sip_bound(e.to.domain(), p)) {
    auto form = p.translator().to_xmpp(e.presence);
    send_xmpp(e.from.domain(), e.to.domain(),
              xmpp::presence_stanza(e.from, e.to, form.show, form.status));
  } else if (sip_ != nullptr) {
    sip_->send_presence(e);
  } else {
    metrics_.sip_unavailable("send_presence");
  }
}

// The requester (request.from) hears the refusal on its own side; the operator gets the
// reason as a metric label and a log field (STYLE.md B6).
void Switchboard::refuse_request(const presence::RefuseRequest& e,
                                 const presence::PolicySnapshot& p) {
  const auto& r = e.request;
  metrics_.decision("subscription", "refuse", e.refusal.reason);
  log_.info("subscription.refused", {{"peer", r.from.domain()},
                                     {"to_domain", r.to.domain()},
                                     {"action", action_name(r.action)},
                                     {"reason", e.refusal.reason}});
  if (!sip_bound(r.from.domain(), p)) {
    send_xmpp(r.to.domain(), r.from.domain(),
              xmpp::presence_error_stanza(r, {e.refusal.condition, ""}));
  } else if (sip_ != nullptr) {
    sip_->refuse_request(e);
  } else {
    metrics_.sip_unavailable("refuse_request");
  }
}

}  // namespace fedgate::gateway
