// Switchboard, XMPP side: authenticated inbound stanzas through the bridge into the router and
// the machines; pool bounces; relaying what the router does not model (iq, error answers)
// between two XMPP sides when policy lets the pair talk. RFC 6120 §8, RFC 6121, RFC 7247 §7.
#include <fmt/format.h>

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <memory>
#include <vector>

#include "gateway/app/switchboard.hpp"
#include "xmpp/bridge/stanza_in.hpp"
#include "xmpp/bridge/stanza_out.hpp"
#include "xmpp/codec/jid.hpp"

namespace fedgate::gateway {

namespace asio = boost::asio;

namespace {

std::string_view kind_name(xmpp::StanzaKind k) {
  switch (k) {
    case xmpp::StanzaKind::message:
      return "message";
    case xmpp::StanzaKind::presence:
      return "presence";
    case xmpp::StanzaKind::iq:
      return "iq";
    case xmpp::StanzaKind::other:
      break;
  }
  return "other";
}

std::string domain_of(std::string_view jid) {
  auto parsed = xmpp::Jid::parse(jid);
  return parsed ? std::string(parsed->domain_part()) : std::string{};
}

}  // namespace

void Switchboard::send_xmpp(std::string_view from_domain, std::string_view to_domain,
                            xmpp::Element s) {
  metrics_.stanza("out", s.name);
  deps_.xmpp.send(xmpp::DomainPair{std::string(from_domain), std::string(to_domain)}, std::move(s));
}

// RFC 6120 §8.3.1: the error goes back from the original recipient's domain to the sender;
// never an error in answer to an error.
void Switchboard::reply_error(const xmpp::Element& original, xmpp::StanzaErrc c,
                              std::string_view text) {
  if (xmpp::is_error_stanza(original)) {
    return;
  }
  auto reply = xmpp::make_error_reply(original, c, text);
  auto from = domain_of(original.attr("to"));
  auto to = domain_of(original.attr("from"));
  if (!from.empty() && !to.empty()) {
    send_xmpp(from, to, std::move(reply));
  }
}

asio::awaitable<void> Switchboard::handle_stanza(xmpp::Element stanza) {
  if (auto rest = start_stanza(std::move(stanza))) {
    co_await std::move(*rest);
  }
}

Switchboard::Rest Switchboard::start_stanza(xmpp::Element stanza) {
  auto kind = xmpp::stanza_kind(stanza);
  metrics_.stanza("in", kind_name(kind));
  if (kind == xmpp::StanzaKind::message) {
    if (xmpp::is_error_stanza(stanza)) {
      return handle_failure(std::move(stanza));
    }
    return handle_xmpp_message(std::move(stanza));
  }
  if (kind == xmpp::StanzaKind::presence) {
    return start_presence(std::move(stanza));
  }
  if (kind == xmpp::StanzaKind::iq) {
    handle_xmpp_iq(stanza);
  }
  return std::nullopt;
}

// The stanzas of one read: those that need no waiting are done in this loop, the others run
// as their own coroutines on the strand, each entered at once (so it reaches its first
// suspension before the next stanza starts: stream order). `first_failed` counts the prefix.
asio::awaitable<std::size_t> Switchboard::take_batch(std::vector<xmpp::Element> stanzas) {
  if (held_) {
    auto [ec] = co_await gate_.async_wait(asio::as_tuple(asio::use_awaitable));
    (void)ec;  // cancelled when restore() ends
  }
  struct Join {
    explicit Join(asio::any_io_executor ex, std::size_t n)
        : bell(std::move(ex), asio::steady_timer::time_point::max()), first_failed(n) {}
    asio::steady_timer bell;
    std::size_t running = 0;
    std::size_t first_failed;
  };
  auto join = std::make_shared<Join>(strand_, stanzas.size());
  for (std::size_t i = 0; i < stanzas.size(); ++i) {
    std::function<void()> finished = [join] {
      if (--join->running == 0) {
        join->bell.cancel();
      }
    };
    ++join->running;
    if (take_xmpp_message(stanzas[i], finished)) {
      continue;  // `finished` runs once it is decided (after its commit)
    }
    --join->running;
    auto rest = start_stanza(std::move(stanzas[i]));
    if (!rest) {
      continue;
    }
    ++join->running;
    asio::co_spawn(strand_, std::move(*rest),
                   asio::bind_executor(strand_, [join, i](const std::exception_ptr& e) {
                     if (e) {
                       join->first_failed = std::min(join->first_failed, i);
                     }
                     if (--join->running == 0) {
                       join->bell.cancel();
                     }
                   }));
  }
  while (join->running > 0) {
    auto [ec] = co_await join->bell.async_wait(asio::as_tuple(asio::use_awaitable));
    (void)ec;  // cancelled by the last one to complete
  }
  co_return join->first_failed;
}

asio::awaitable<std::size_t> Switchboard::on_stanzas(std::vector<xmpp::Element> stanzas) {
  auto token = asio::bind_cancellation_slot(asio::cancellation_slot{}, asio::use_awaitable);
  auto op = asio::co_spawn(strand_, take_batch(std::move(stanzas)), token);
  co_return co_await std::move(op);
}

// A message that is not an error goes the callback way (take_message); true when taken, and
// then `finished` runs once the message is decided (refused, dropped, or committed).
bool Switchboard::take_xmpp_message(xmpp::Element& stanza, std::function<void()>& finished) {
  if (xmpp::stanza_kind(stanza) != xmpp::StanzaKind::message || xmpp::is_error_stanza(stanza)) {
    return false;
  }
  metrics_.stanza("in", "message");
  auto in = xmpp::to_inbound_message(stanza);
  if (!in) {
    auto e = static_cast<xmpp::BridgeErrc>(in.error().value());
    metrics_.decision("message", "refuse", "bad_address");
    log_.info("im.refused", {{"reason", "bad_address"}, {"error", in.error().message()}});
    reply_error(stanza, xmpp::wire_condition(e), "");
    std::exchange(finished, nullptr)();
    return true;
  }
  MessageReply reply;
  reply.refused = [this, original = std::move(stanza)](const presence::StanzaError& error) {
    reply_error(original, xmpp::to_stanza_errc(error.condition), error.text);
  };
  take_message(std::move(in).value(), std::move(reply), std::move(finished));
  return true;
}

// One stanza (on_stanza): take_xmpp_message, awaiting its decision (the commit when accepted).
asio::awaitable<void> Switchboard::handle_xmpp_message(xmpp::Element stanza) {
  auto bell = std::make_shared<asio::steady_timer>(strand_, asio::steady_timer::time_point::max());
  auto decided = std::make_shared<bool>(false);
  std::function<void()> finished = [bell, decided] {
    *decided = true;
    bell->cancel();
  };
  take_xmpp_message(stanza, finished);
  while (!*decided) {
    auto [ec] = co_await bell->async_wait(asio::as_tuple(asio::use_awaitable));
    (void)ec;  // cancelled by `finished`
  }
}

Switchboard::Rest Switchboard::start_presence(xmpp::Element stanza) {
  auto input = xmpp::to_presence_input(stanza);
  if (!input) {
    metrics_.decision("presence", "refuse", "bad_presence");
    log_.info("presence.refused", {{"reason", "bad_presence"}, {"error", input.error().message()}});
    reply_error(stanza, xmpp::wire_condition(static_cast<xmpp::BridgeErrc>(input.error().value())),
                "");
    return std::nullopt;
  }
  if (auto* request = std::get_if<presence::SubscriptionRequest>(&*input)) {
    return handle_request(std::move(*request), true);
  }
  auto* update = std::get_if<xmpp::PresenceUpdate>(&*input);
  if (update == nullptr) {
    return handle_failure(std::move(stanza));
  }
  auto policy = snapshot();
  if (policy == nullptr) {
    metrics_.decision("presence", "drop", "policy_not_loaded");
    return std::nullopt;
  }
  auto leg = presence::resolve_leg(update->entity, update->to, *policy);
  if (!std::holds_alternative<presence::Leg>(leg)) {
    metrics_.decision("presence", "drop", "not_permitted");
    log_.debug("presence.dropped",
               {{"peer", update->entity.domain()}, {"reason", "not_permitted"}});
    return std::nullopt;
  }
  return start_directed_presence(std::move(stanza), std::move(*update), std::move(policy));
}

// An XMPP server sends its user's presence to each subscriber separately (RFC 6121 §4.2.2):
// the machine updates the cache, and this stanza goes to its own addressee only (the others
// get theirs). A subscription the machine does not know (it predates fedgate) is relayed as
// is, unless the local user blocks the remote one (polite blocking: nothing leaks). Done at
// once unless an effect goes to the subscription store.
Switchboard::Rest Switchboard::start_directed_presence(xmpp::Element stanza,
                                                       xmpp::PresenceUpdate update,
                                                       PolicyPtr policy) {
  auto fx = subs_.on_endpoint_presence(update.entity, update.endpoint, *policy);
  bool addressed = false;
  std::erase_if(fx.effects, [&update, &addressed](const presence::SubscriptionEffect& e) {
    auto* send = std::get_if<presence::SendPresence>(&e);
    if (send == nullptr) {
      return false;
    }
    bool to_addressee = send->to.bare() == update.to.bare();
    addressed = addressed || to_addressee;
    return !to_addressee;
  });
  if (needs_store(fx)) {
    return finish_directed_presence(std::move(stanza), std::move(update), std::move(policy),
                                    std::move(fx), addressed);
  }
  run_subscription_now(fx);
  relay_unaddressed(stanza, update, *policy, addressed);
  return std::nullopt;
}

asio::awaitable<void> Switchboard::finish_directed_presence(xmpp::Element stanza,
                                                            xmpp::PresenceUpdate update,
                                                            PolicyPtr policy,
                                                            presence::SubscriptionEffects fx,
                                                            bool addressed) {
  co_await run_subscription(std::move(fx), std::nullopt);
  relay_unaddressed(stanza, update, *policy, addressed);
}

void Switchboard::relay_unaddressed(const xmpp::Element& stanza, const xmpp::PresenceUpdate& update,
                                    const presence::PolicySnapshot& policy, bool addressed) {
  if (addressed || subs_.find(update.to, update.entity).has_value()) {
    return;
  }
  bool local_entity = policy.is_local(update.entity.domain());
  const auto& local = local_entity ? update.entity : update.to;
  const auto& remote = local_entity ? update.to : update.entity;
  if (policy.user_rule(local.without_resource(), remote.without_resource(),
                       presence::TrafficKind::presence) == presence::RuleAction::block) {
    metrics_.decision("presence", "drop", "user_policy_block");
    return;
  }
  if (!relay_between_xmpp(stanza, policy)) {
    metrics_.decision("presence", "drop", "not_relayed");
  }
}

// Between two XMPP sides the router has nothing to translate: an iq (disco, ping, vCard) is
// relayed when policy lets the domains talk; anything else is answered with an error.
void Switchboard::handle_xmpp_iq(const xmpp::Element& stanza) {
  auto policy = snapshot();
  if (policy != nullptr && relay_between_xmpp(stanza, *policy)) {
    metrics_.decision("iq", "deliver");
    return;
  }
  metrics_.decision("iq", "refuse", "iq_not_relayed");
  auto type = stanza.attr("type");
  if (type == "get" || type == "set") {  // RFC 6120 §8.2.3: every get/set gets an answer
    reply_error(stanza, xmpp::StanzaErrc::service_unavailable, "");
  }
}

bool Switchboard::relay_between_xmpp(const xmpp::Element& stanza,
                                     const presence::PolicySnapshot& policy) {
  auto from = domain_of(stanza.attr("from"));
  auto to = domain_of(stanza.attr("to"));
  if (from.empty() || to.empty() || !policy.may_send(from, to).allowed) {
    return false;
  }
  if (policy.classify(from).protocol != presence::Protocol::xmpp ||
      policy.classify(to).protocol != presence::Protocol::xmpp) {
    return false;
  }
  send_xmpp(from, to, stanza);
  return true;
}

// An error stanza from the far side: the answer to a message fedgate accepted (bounce it to
// its sender as the sender addressed it) or to something relayed (relay it back).
asio::awaitable<void> Switchboard::handle_failure(xmpp::Element stanza) {
  auto failure = xmpp::to_stanza_failure(stanza);
  if (failure && failure->kind == xmpp::StanzaKind::message) {
    auto it = in_flight_.find(failure->id);
    if (it != in_flight_.end()) {
      auto message = std::move(it->second.message);
      bool settled = it->second.settled;
      in_flight_.erase(it);
      auto reason = settled ? "recipient_error_after_settle" : "recipient_error";
      co_await bounce(std::move(message), failure->error, reason);
      co_return;
    }
  }
  auto policy = snapshot();
  if (policy == nullptr || !relay_between_xmpp(stanza, *policy)) {
    metrics_.decision("error", "drop", "not_relayed");
    log_.debug("xmpp.error_dropped", {{"to", stanza.attr("to")}, {"id", stanza.attr("id")}});
  }
}

// S2sPool could not deliver `stanza` (connect, authentication, queue): an accepted message is
// bounced to its sender; anything else that expects an answer gets an error reply.
asio::awaitable<void> Switchboard::handle_pool_bounce(xmpp::Element stanza, xmpp::StanzaErrc c) {
  presence::StanzaError error{xmpp::to_condition(c),
                              "fedgate could not reach the recipient's server"};
  auto it = in_flight_.find(std::string(stanza.attr("id")));
  if (stanza.name == "message" && it != in_flight_.end()) {
    auto message = std::move(it->second.message);
    in_flight_.erase(it);
    co_await bounce(std::move(message), error, xmpp::condition_name(c));
    co_return;
  }
  metrics_.decision(stanza.name, "drop", fmt::format("undeliverable_{}", xmpp::condition_name(c)));
  log_.info("xmpp.undeliverable", {{"kind", stanza.name},
                                   {"peer", domain_of(stanza.attr("to"))},
                                   {"condition", xmpp::condition_name(c)}});
  auto type = stanza.attr("type");
  bool answers = stanza.name == "message" ||
                 (stanza.name == "iq" && (type == "get" || type == "set")) ||
                 (stanza.name == "presence" && (type == "subscribe" || type == "probe"));
  if (answers) {
    reply_error(stanza, c, error.text);
  }
}

}  // namespace fedgate::gateway
