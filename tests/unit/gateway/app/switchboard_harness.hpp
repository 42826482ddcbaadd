// Test bench for the Switchboard: one io_context (also the "store executor"), the presence/
// in-memory ports, a recording XmppSide and SipSide, policy rows the test can change.
#pragma once

#include <boost/asio/io_context.hpp>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "gateway/app/switchboard.hpp"
#include "presence/in_memory_outbox.hpp"
#include "presence/in_memory_presence_cache_store.hpp"
#include "presence/in_memory_subscription_store.hpp"

namespace fedgate::gateway::test {

struct RecordingXmpp final : XmppSide {
  struct Sent {
    xmpp::DomainPair pair;
    xmpp::Element stanza;
  };
  std::vector<Sent> sent;
  void send(xmpp::DomainPair pair, xmpp::Element stanza) override {
    sent.push_back({std::move(pair), std::move(stanza)});
  }
};

struct RecordingSip final : SipSide {
  std::vector<std::string> calls;
  std::vector<std::string> dialogs;  // the dialog of every in-dialog MESSAGE and BYE
  void send_subscription(const presence::SendSubscription&) override { calls.push_back("sub"); }
  void send_presence(const presence::SendPresence&) override { calls.push_back("presence"); }
  void refresh_subscription(const presence::RefreshSubscription&) override {
    calls.push_back("refresh");
  }
  void refuse_request(const presence::RefuseRequest&) override { calls.push_back("refuse"); }
  void send_invite(const presence::SendInvite&) override { calls.push_back("invite"); }
  void send_in_dialog(const presence::SendInDialog& e) override {
    calls.push_back("message");
    dialogs.push_back(e.session.sip_dialog);
  }
  void send_page(const presence::SendPage&) override { calls.push_back("page"); }
  void send_bye(const presence::SendBye& e) override {
    calls.push_back("bye");
    dialogs.push_back(e.session.sip_dialog);
  }
  void bounce(const presence::BounceNotice&) override { calls.push_back("bounce"); }
};

// The presence cache as the switchboard sees it: forwards to an in-memory store, counts the
// store calls, and fails every put while `failing` is set (the database is down).
struct FlakyCache final : presence::PresenceCacheStore {
  explicit FlakyCache(presence::PresenceCacheStore& inner) : inner(inner) {}
  presence::PortResult<bool> put(const presence::Presence& p) override {
    ++puts;
    if (failing) {
      return presence::PortErrc::unavailable;
    }
    return inner.put(p);
  }
  presence::PortResult<std::optional<presence::Presence>> get(
      const presence::Address& a) override {
    return inner.get(a);
  }
  presence::PortResult<presence::Done> remove(const presence::Address& a) override {
    return inner.remove(a);
  }
  presence::PortResult<std::vector<presence::Presence>> load_all() override {
    return inner.load_all();
  }
  presence::PresenceCacheStore& inner;
  int puts = 0;
  bool failing = false;
};

// home.test: the local domain (XMPP home); lync.test: a SIP federated domain; XMPP default
// allow.
presence::PolicyRows default_rows();

struct Bench {
  explicit Bench(presence::PolicyRows rows = default_rows(), SwitchboardConfig config = {});
  ~Bench();

  // Runs `work` to completion on the io_context (bounded: 5 s).
  bool run(boost::asio::awaitable<void> work);
  // Runs the io_context until `done` (bounded by `limit`).
  bool run_until(const std::function<bool()>& done, Duration limit = std::chrono::seconds(5));
  void stanza_in(std::string_view xml);
  double metric(const std::string& name, const Labels& labels) const;
  const xmpp::Element& last() const { return xmpp.sent.back().stanza; }

  boost::asio::io_context io;
  TaskGroup tasks{io.get_executor()};
  MetricsRegistry metrics;
  presence::InMemoryOutbox outbox;
  presence::InMemorySubscriptionStore subscriptions;
  presence::InMemoryPresenceCacheStore cache;
  FlakyCache flaky{cache};  // what the switchboard is given
  RecordingXmpp xmpp;
  std::shared_ptr<const presence::PolicyRows> rows;
  std::unique_ptr<Switchboard> switchboard;
};

xmpp::Element parse_stanza(std::string_view xml);
std::string wire(const xmpp::Element& e);

}  // namespace fedgate::gateway::test
