// Switchboard: construction, the strand hop, policy snapshots, restore, timers and the SIP
// side's entry points. XMPP input is in switchboard_xmpp.cpp, messages in
// switchboard_messages.cpp, subscriptions and presence in switchboard_presence.cpp.
#include "gateway/app/switchboard.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "gateway/app/switchboard_blocking.hpp"

namespace fedgate::gateway {

namespace asio = boost::asio;

Switchboard::Switchboard(SwitchboardDeps deps, SwitchboardConfig config)
    : deps_(std::move(deps)),
      config_(std::move(config)),
      metrics_(deps_.metrics),
      log_(deps_.log.with({{"component", "switchboard"}})),
      strand_(asio::make_strand(deps_.executor)),
      chat_(config_.chat),
      presence_retry_(config_.presence_flush, config_.presence_retry_cap),
      gate_(strand_, asio::steady_timer::time_point::max()) {}

asio::awaitable<void> Switchboard::on_strand(asio::awaitable<void> work) {
  auto token = asio::bind_cancellation_slot(asio::cancellation_slot{}, asio::use_awaitable);
  auto op = asio::co_spawn(strand_, std::move(work), token);
  co_await std::move(op);
}

asio::awaitable<void> Switchboard::gated(asio::awaitable<void> work) {
  if (held_) {  // on the strand: gate_ wakes every waiter, in order, when restore() ends
    auto [ec] = co_await gate_.async_wait(asio::as_tuple(asio::use_awaitable));
    (void)ec;  // cancelled is the normal wake-up
  }
  co_await std::move(work);
}

void Switchboard::open_gate() {
  held_ = false;
  gate_.cancel();
}

Switchboard::PolicyPtr Switchboard::snapshot() {
  auto rows = deps_.policy ? deps_.policy() : nullptr;
  if (rows != nullptr && (rows != rows_ || snapshot_ == nullptr)) {
    rows_ = std::move(rows);
    rebuild_snapshot();
  }
  return snapshot_;
}

// The node's rows plus the domains discovered since (open federation) that the database does
// not list yet.
void Switchboard::rebuild_snapshot() {
  std::erase_if(discovered_, [this](const presence::OpenFederationCacheRow& d) {
    return std::any_of(rows_->open_federation_cache.begin(), rows_->open_federation_cache.end(),
                       [&d](const auto& row) { return row.domain == d.domain; });
  });
  if (discovered_.empty()) {
    snapshot_ = std::make_shared<const presence::PolicySnapshot>(*rows_);
  } else {
    presence::PolicyRows rows = *rows_;
    rows.open_federation_cache.insert(rows.open_federation_cache.end(), discovered_.begin(),
                                      discovered_.end());
    snapshot_ = std::make_shared<const presence::PolicySnapshot>(rows);
  }
  for (const auto& w : snapshot_->warnings()) {
    log_.warn("policy.index_warning", {{"version", rows_->version}, {"warning", w}});
  }
}

asio::awaitable<Switchboard::PolicyPtr> Switchboard::wait_for_policy() {
  asio::steady_timer timer(strand_);
  const auto deadline = Clock::now() + config_.policy_wait;
  auto policy = snapshot();
  while (policy == nullptr && Clock::now() < deadline) {
    timer.expires_after(std::chrono::milliseconds(100));
    auto [ec] = co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    if (ec) {
      break;
    }
    policy = snapshot();
  }
  co_return policy;
}

asio::awaitable<void> Switchboard::restore() {
  auto op = on_strand(restore_on_strand());
  co_await std::move(op);
}

asio::awaitable<void> Switchboard::restore_on_strand() {
  auto policy = co_await wait_for_policy();
  if (policy == nullptr) {
    log_.error("switchboard.restore_skipped", {{"reason", "policy_not_loaded"}});
    open_gate();  // the held inputs go on (and meet the missing policy themselves)
    co_return;
  }
  auto subs = co_await blocking([this] { return deps_.subscriptions.load_all(); });
  auto cache = co_await blocking([this] { return deps_.presence_cache.load_all(); });
  auto undelivered = co_await blocking([this] { return deps_.outbox.load_undelivered(); });
  if (!subs || !cache || !undelivered) {
    metrics_.store_error("restore");
    log_.error("switchboard.restore_failed", {{"reason", "store_unavailable"}});
    open_gate();
    co_return;
  }
  log_.info("switchboard.restored", {{"subscriptions", subs->size()},
                                     {"presence", cache->size()},
                                     {"undelivered", undelivered->size()}});
  auto fx = subs_.restore(std::move(subs).value(), std::move(cache).value(), *policy,
                          std::chrono::system_clock::now());
  co_await run_subscription(std::move(fx), std::nullopt);
  for (auto& m : undelivered.value()) {
    co_await deliver(std::move(m));
  }
  open_gate();  // held inputs meet the restored state, after the older messages went out
}

asio::awaitable<void> Switchboard::run() {
  asio::steady_timer timer(strand_);
  for (;;) {
    timer.expires_after(config_.tick);
    auto [ec] = co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    if (ec) {
      co_return;  // cancelled: the node is stopping
    }
    auto op = on_strand(tick());
    co_await std::move(op);
  }
}

asio::awaitable<void> Switchboard::tick() {
  auto wall = std::chrono::system_clock::now();
  if (subs_wake_ && *subs_wake_ <= wall) {
    subs_wake_.reset();
    auto fx = subs_.on_wake(wall);
    co_await run_subscription(std::move(fx), std::nullopt);
  }
  auto now = Clock::now();
  if (chat_wake_ && *chat_wake_ <= now) {
    chat_wake_.reset();
    auto fx = chat_.on_wake(now);
    co_await run_chat(std::move(fx));
  }
  co_await settle(now);
}

asio::awaitable<void> Switchboard::on_stanza(xmpp::Element stanza) {
  auto op = on_strand(gated(handle_stanza(std::move(stanza))));
  co_await std::move(op);
}

void Switchboard::on_xmpp_bounce(xmpp::Element stanza, xmpp::StanzaErrc condition) {
  deps_.tasks.spawn("switchboard.bounce",
                    on_strand(gated(handle_pool_bounce(std::move(stanza), condition))));
}

asio::awaitable<void> Switchboard::on_message(presence::InboundMessage in, MessageReply reply) {
  auto op = on_strand(gated(handle_message(std::move(in), std::move(reply))));
  co_await std::move(op);
}

asio::awaitable<void> Switchboard::on_subscription_request(presence::SubscriptionRequest r) {
  auto op = on_strand(gated(handle_request(std::move(r), true)));
  co_await std::move(op);
}

asio::awaitable<void> Switchboard::on_presence_document(presence::Presence doc) {
  auto op = on_strand(gated(handle_document(std::move(doc))));
  co_await std::move(op);
}

asio::awaitable<void> Switchboard::on_sip_state(presence::SipSubscriptionEvent e) {
  auto op = on_strand(gated(handle_sip_state(std::move(e))));
  co_await std::move(op);
}

asio::awaitable<void> Switchboard::on_invite_answer(presence::Address sip_user,
                                                    presence::Address peer,
                                                    presence::SipAnswer answer,
                                                    std::string dialog) {
  // The machine call happens on the strand: run_chat's argument is computed inside it.
  auto op = on_strand(gated(
      chat_answer(std::move(sip_user), std::move(peer), std::move(answer), std::move(dialog))));
  co_await std::move(op);
}

// No coroutine unless the restore holds input or the effects need one (any thread).
void Switchboard::on_message_answer(std::int64_t outbox_id, presence::SipAnswer answer) {
  asio::post(strand_, [this, outbox_id, answer = std::move(answer)]() mutable {
    if (held_) {
      deps_.tasks.spawn("switchboard.message_answer",
                        on_strand(gated(message_answer(outbox_id, std::move(answer)))));
      return;
    }
    run_chat_now(chat_.on_message_answer(outbox_id, answer, Clock::now()));
  });
}

asio::awaitable<void> Switchboard::on_bye(presence::Address sip_user, presence::Address peer) {
  auto op = on_strand(gated(bye(std::move(sip_user), std::move(peer))));
  co_await std::move(op);
}

asio::awaitable<void> Switchboard::on_remote_invite(presence::Address sip_user,
                                                    presence::Address peer, std::string dialog) {
  auto op =
      on_strand(gated(remote_invite(std::move(sip_user), std::move(peer), std::move(dialog))));
  co_await std::move(op);
}

asio::awaitable<void> Switchboard::on_remote_activity(presence::Address sip_user,
                                                      presence::Address peer) {
  auto op = on_strand(gated(remote_activity(std::move(sip_user), std::move(peer))));
  co_await std::move(op);
}

asio::awaitable<void> Switchboard::chat_answer(presence::Address sip_user, presence::Address peer,
                                               presence::SipAnswer answer, std::string dialog) {
  auto fx = chat_.on_invite_answer(sip_user, peer, answer, std::move(dialog), Clock::now());
  co_await run_chat(std::move(fx));
}

asio::awaitable<void> Switchboard::message_answer(std::int64_t outbox_id,
                                                  presence::SipAnswer answer) {
  auto fx = chat_.on_message_answer(outbox_id, answer, Clock::now());
  co_await run_chat(std::move(fx));
}

asio::awaitable<void> Switchboard::bye(presence::Address sip_user, presence::Address peer) {
  auto fx = chat_.on_bye(sip_user, peer, Clock::now());
  co_await run_chat(std::move(fx));
}

asio::awaitable<void> Switchboard::remote_invite(presence::Address sip_user, presence::Address peer,
                                                 std::string dialog) {
  auto fx = chat_.on_remote_invite(sip_user, peer, std::move(dialog), Clock::now());
  co_await run_chat(std::move(fx));
}

asio::awaitable<void> Switchboard::remote_activity(presence::Address sip_user,
                                                   presence::Address peer) {
  auto fx = chat_.on_remote_activity(sip_user, peer, Clock::now());
  co_await run_chat(std::move(fx));
}

}  // namespace fedgate::gateway
