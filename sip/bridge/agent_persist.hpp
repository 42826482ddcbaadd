// Persistence of the SipAgent's subscription usages (RFC 6665 §4.1 subscriber, §4.2 notifier):
// the record the agent exports whenever a usage changes (created, refreshed, CSeq advanced,
// ended) and restores at start, and the sink it exports to. Records are built and restored on
// the agent's strand; the sink hands them on (to the store) without blocking.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gateway/base/clock.hpp"
#include "gateway/base/result.hpp"
#include "presence/model/address.hpp"
#include "sip/dialog/dialog.hpp"

namespace fedgate::sip {

enum class UsageKind { subscriber, notifier };

// One usage as stored. `data` is the agent's envelope ("U1": kind, the subscriber's
// configuration, then Subscriber::serialize "S1" or Notifier::serialize "N1"); empty when the
// usage ended (delete the stored record). `watcher` and `presentity` are bare addresses: for a
// subscriber, our user watching a SIP presentity; for a notifier, a SIP watcher of our user.
struct UsageRecord {
  UsageKind kind = UsageKind::subscriber;
  DialogId dialog;
  presence::Address watcher;
  presence::Address presentity;
  std::string data;
  bool ended() const { return data.empty(); }
  friend bool operator==(const UsageRecord&, const UsageRecord&) = default;
};

// The stable key of a usage (its row): kind, Call-ID and our tag. The remote tag is not part
// of it (a subscriber learns it later).
std::string usage_key(UsageKind kind, const DialogId& dialog);
std::string_view to_string(UsageKind kind);

// Told of every change of a usage, on the agent's strand: keep it short (copy and hand on).
class UsageSink {
 public:
  virtual ~UsageSink() = default;
  virtual void on_usage(UsageRecord record) = 0;
};

// What restore() did with the records it was given.
struct RestoreReport {
  std::vector<UsageRecord> restored;  // kind, dialog (with remote tag), watcher, presentity
  std::size_t subscribers = 0;        // restored, timers re-armed
  std::size_t notifiers = 0;
  std::size_t expired = 0;  // expired or terminated: not restored (their rows can go)
  std::size_t corrupt = 0;  // unreadable: not restored (DialogErrc::corrupt_state)
};

class SipAgent;

// The agent's side (agent_persist.cpp), a friend of SipAgent. set_sink and restore are for
// the owner: set the sink and restore before start() (or before traffic arrives); restore runs
// on the agent's strand, re-arms refresh and expiry timers from the stored absolute times and
// skips expired, terminated and unreadable records. The others are the agent's own hooks.
struct AgentPersist {
  static void set_sink(SipAgent& agent, UsageSink* sink);
  static boost::asio::awaitable<RestoreReport> restore(SipAgent& agent,
                                                       std::vector<UsageRecord> records);
  // The same at start-up, in the caller's thread: only while nothing runs on the agent's
  // strand yet (before the io_context runs).
  static RestoreReport restore_now(SipAgent& agent, std::vector<UsageRecord> records);
  // Hooks (agent strand): a usage changed (it stays decoded until a sweep finds it unused;
  // its record goes to the sink when UsageMark::needs_export says so), or ended.
  static void subscriber_changed(SipAgent& agent, const std::pair<std::string, std::string>& key);
  static void notifier_changed(SipAgent& agent, const DialogId& id);
  static void ended(SipAgent& agent, UsageKind kind, const DialogId& id);
  // At or after HotUsages::next_sweep: compacts the usages unused since the last sweep.
  static void sweep(SipAgent& agent, TimePoint now);

 private:
  // true: restored; false: expired or terminated; an error: unreadable.
  static result<bool> restore_subscriber(SipAgent& agent, std::string_view data,
                                         RestoreReport& report);
  static result<bool> restore_notifier(SipAgent& agent, std::string_view data,
                                       RestoreReport& report);
};

}  // namespace fedgate::sip
