// SipAgent's subscription usages out to a UsageSink when they change, and back in at start
// (RFC 6665 §4.1.2.1 refresh and §4.2.2 NOTIFY continue in the same dialog after a restart).
// The envelope "U1" wraps Subscriber::serialize "S1" / Notifier::serialize "N1".
#include "sip/bridge/agent_persist.hpp"

#include <fmt/format.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>

#include "sip/bridge/agent.hpp"
#include "sip/bridge/convert_address.hpp"
#include "sip/dialog/dialog_error.hpp"
#include "sip/dialog/field_codec.hpp"

// GCC 12 (-O1, ASan): Asio coroutine frame new/delete false positive (see agent.cpp).
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

namespace fedgate::sip {

namespace asio = boost::asio;
namespace {

constexpr std::string_view kEnvelope = "U1";

// As the edge names the parties of a SUBSCRIBE (address_from_uri), bare; otherwise as the
// agent names those of any request (agent_server.cpp).
presence::Address address_of(const NameAddr& who) {
  if (auto mapped = address_from_uri(who.uri)) {
    return mapped->without_resource();
  }
  auto a = presence::Address::make(who.uri.user, who.uri.host);
  if (a) {
    return *a;
  }
  auto domain_only = presence::Address::normalise_domain(who.uri.host);
  return domain_only ? presence::Address::make("_", *domain_only).value() : presence::Address{};
}

std::string join(const std::vector<std::string>& values) {
  return fmt::format("{}", fmt::join(values, ","));
}

std::vector<std::string> split(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    const auto comma = text.find(',');
    out.emplace_back(text.substr(0, comma));
    text.remove_prefix(comma == std::string_view::npos ? text.size() : comma + 1);
  }
  return out;
}

// The configuration a restored subscriber needs besides its S1 record.
struct SubscriberHead {
  presence::Address presentity;
  std::string event;
  std::vector<std::string> accept;
  std::vector<std::string> supported;
};

std::optional<SubscriberHead> take_subscriber_head(std::string_view& in) {
  const auto presentity = fields::take(in);
  const auto event = fields::take(in);
  const auto accept = fields::take(in);
  const auto supported = fields::take(in);
  if (!presentity || !event || !accept || !supported) {
    return std::nullopt;
  }
  auto address = presence::Address::parse(*presentity);
  if (!address) {
    return std::nullopt;
  }
  return SubscriberHead{*address, std::string(*event), split(*accept), split(*supported)};
}

// Lists a usage that an event left decoded for the next sweep; true when it is the first.
template <class Key>
bool list_hot(UsageMark& mark, std::vector<Key>& hot, const Key& key) {
  mark.touched = true;
  if (mark.hot) {
    return false;
  }
  mark.hot = true;
  hot.push_back(key);
  return hot.size() == 1;
}

// Compacts the listed usages not touched since the last sweep and unlists them.
template <class Map, class Key>
void compact_unused(Map& usages, std::vector<Key>& hot) {
  std::erase_if(hot, [&usages](const Key& key) {
    auto it = usages.find(key);
    if (it == usages.end()) {
      return true;
    }
    UsageMark& mark = it->second.mark;
    if (mark.touched) {
      mark.touched = false;
      return false;
    }
    mark.hot = false;
    it->second.usage.compact();
    return true;
  });
}

// result<bool> from an error code: explicit, since bool would take the code too.
result<bool> unreadable(boost::system::error_code ec) {
  return result<bool>{boost::system::in_place_error, ec};
}

}  // namespace

std::string_view to_string(UsageKind kind) {
  return kind == UsageKind::subscriber ? "subscriber" : "notifier";
}

std::string usage_key(UsageKind kind, const DialogId& dialog) {
  return fmt::format("{}:{}:{}", kind == UsageKind::subscriber ? 's' : 'n', dialog.call_id,
                     dialog.local_tag);
}

void AgentPersist::set_sink(SipAgent& agent, UsageSink* sink) { agent.usage_sink_ = sink; }

void AgentPersist::subscriber_changed(SipAgent& agent,
                                      const std::pair<std::string, std::string>& key) {
  auto it = agent.subscribers_.find(key);
  if (it == agent.subscribers_.end()) {
    return;
  }
  if (list_hot(it->second.mark, agent.hot_.subscribers, key)) {
    agent.schedule_sweep();
  }
  const Subscriber& usage = it->second.usage;
  if (agent.usage_sink_ == nullptr || !usage.has_dialog()) {
    return;  // no dialog yet: nothing a restart could continue
  }
  const std::uint64_t revision = usage.durable_revision();
  const std::uint32_t cseq = usage.dialog().local_cseq();
  if (!it->second.mark.needs_export(revision, cseq)) {
    return;
  }
  it->second.mark.exported(revision, cseq);
  std::string state = usage.serialize(Clock::now(), std::chrono::system_clock::now());
  UsageRecord r;
  r.kind = UsageKind::subscriber;
  r.dialog = usage.dialog_id();
  r.watcher = address_of(usage.dialog().local());
  r.presentity = it->second.presentity.without_resource();
  fields::put(r.data, kEnvelope);
  fields::put(r.data, "s");
  fields::put(r.data, r.presentity.bare());
  fields::put(r.data, usage.event_package());
  fields::put(r.data, join(usage.accept()));
  fields::put(r.data, join(usage.supported()));
  r.data += state;
  agent.usage_sink_->on_usage(std::move(r));
}

void AgentPersist::notifier_changed(SipAgent& agent, const DialogId& id) {
  auto it = agent.notifiers_.find(id);
  if (it == agent.notifiers_.end()) {
    return;
  }
  if (list_hot(it->second.mark, agent.hot_.notifiers, id)) {
    agent.schedule_sweep();
  }
  const Notifier& usage = it->second.usage;
  const std::uint64_t revision = usage.durable_revision();
  const std::uint32_t cseq = usage.local_cseq();
  if (agent.usage_sink_ == nullptr || !it->second.mark.needs_export(revision, cseq)) {
    return;
  }
  it->second.mark.exported(revision, cseq);
  UsageRecord r;
  r.kind = UsageKind::notifier;
  r.dialog = id;
  r.watcher = address_of(usage.dialog().remote());
  r.presentity = address_of(usage.dialog().local());
  fields::put(r.data, kEnvelope);
  fields::put(r.data, "n");
  r.data += usage.serialize(Clock::now(), std::chrono::system_clock::now());
  agent.usage_sink_->on_usage(std::move(r));
}

void AgentPersist::sweep(SipAgent& agent, TimePoint now) {
  if (now < agent.hot_.next_sweep) {
    return;
  }
  compact_unused(agent.subscribers_, agent.hot_.subscribers);
  compact_unused(agent.notifiers_, agent.hot_.notifiers);
  agent.hot_.next_sweep = now + kHotPeriod;
}

void AgentPersist::ended(SipAgent& agent, UsageKind kind, const DialogId& id) {
  if (agent.usage_sink_ == nullptr) {
    return;
  }
  UsageRecord r;
  r.kind = kind;
  r.dialog = id;
  agent.usage_sink_->on_usage(std::move(r));  // empty data: delete the stored record
}

asio::awaitable<RestoreReport> AgentPersist::restore(SipAgent& agent,
                                                     std::vector<UsageRecord> records) {
  auto on_strand = [&agent,
                    records = std::move(records)]() mutable -> asio::awaitable<RestoreReport> {
    co_return restore_now(agent, std::move(records));
  };
  auto spawned = asio::co_spawn(agent.strand_, std::move(on_strand), asio::use_awaitable);
  co_return co_await std::move(spawned);
}

RestoreReport AgentPersist::restore_now(SipAgent& agent, std::vector<UsageRecord> records) {
  RestoreReport report;
  for (const auto& r : records) {
    std::string_view in = r.data;
    const auto envelope = fields::take(in);
    const auto kind = fields::take(in);
    if (!envelope || *envelope != kEnvelope || !kind || (*kind != "s" && *kind != "n")) {
      ++report.corrupt;
      continue;
    }
    result<bool> restored =
        *kind == "s" ? restore_subscriber(agent, in, report) : restore_notifier(agent, in, report);
    if (!restored) {
      ++report.corrupt;
    } else if (!*restored) {
      ++report.expired;
    } else {
      ++(*kind == "s" ? report.subscribers : report.notifiers);
    }
  }
  agent.rearm();
  agent.log_.info("sip.agent.usages_restored", {{"subscribers", report.subscribers},
                                                {"notifiers", report.notifiers},
                                                {"expired", report.expired},
                                                {"corrupt", report.corrupt}});
  return report;
}

result<bool> AgentPersist::restore_subscriber(SipAgent& agent, std::string_view data,
                                              RestoreReport& report) {
  auto head = take_subscriber_head(data);
  if (!head) {
    return unreadable(make_error_code(DialogErrc::corrupt_state));
  }
  SubscribeParams config;
  config.event.package = head->event;
  config.accept = std::move(head->accept);
  config.supported = std::move(head->supported);
  config.expires = agent.config_.subscribe_expires;
  config.local = agent.local_endpoint();
  const TimePoint now = Clock::now();
  auto usage = Subscriber::restore(data, std::move(config), now, std::chrono::system_clock::now());
  if (!usage) {
    return unreadable(usage.error());
  }
  if (usage->state() == SubState::terminated || usage->expires_at() <= now) {
    return false;
  }
  const DialogId id = usage->dialog_id();
  SubscriberKey key{id.call_id, id.local_tag};
  const TimePoint wake = usage->refresh_at();
  UsageRecord restored;
  restored.dialog = id;
  restored.watcher = address_of(usage->dialog().local());
  restored.presentity = head->presentity.without_resource();
  usage->compact();
  report.restored.push_back(std::move(restored));
  auto& entry =
      agent.subscribers_.insert_or_assign(key, SubscriberEntry(std::move(*usage), head->presentity))
          .first->second;
  entry.wake = wake;
  agent.subscriber_wakes_.emplace(wake, key);
  return true;
}

result<bool> AgentPersist::restore_notifier(SipAgent& agent, std::string_view data,
                                            RestoreReport& report) {
  const TimePoint now = Clock::now();
  auto usage =
      Notifier::restore(data, agent.local_endpoint(), agent.config_.max_subscription_expires, now,
                        std::chrono::system_clock::now());
  if (!usage) {
    return unreadable(usage.error());
  }
  if (usage->state() == SubState::terminated || usage->expires_at() <= now) {
    return false;
  }
  const DialogId id = usage->dialog_id();
  const TimePoint wake = usage->expires_at();
  UsageRecord restored;
  restored.kind = UsageKind::notifier;
  restored.dialog = id;
  restored.watcher = address_of(usage->dialog().remote());
  restored.presentity = address_of(usage->dialog().local());
  usage->compact();
  report.restored.push_back(std::move(restored));
  auto& entry =
      agent.notifiers_.insert_or_assign(id, NotifierEntry(std::move(*usage))).first->second;
  entry.wake = wake;
  agent.notifier_wakes_.emplace(wake, id);
  return true;
}

}  // namespace fedgate::sip
