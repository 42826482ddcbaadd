// A policy change committed in SQL changes the router's next decision: PostgreSQL →
// LISTEN/NOTIFY → PolicyWatcher → PolicySnapshot → decision, with nothing restarted.
#include <gtest/gtest.h>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_future.hpp>
#include <atomic>
#include <functional>
#include <future>
#include <thread>

#include "gateway/store/policy_watcher.hpp"
#include "presence/policy_snapshot.hpp"
#include "tests/support/pg/test_postgres.hpp"

namespace fedgate::gateway {
namespace {

namespace asio = boost::asio;
using presence::PolicySnapshot;
using presence::SubscriptionVerdict;

// A watcher on its own thread publishing a freshly built snapshot on every change.
class LiveRouterPolicy {
 public:
  explicit LiveRouterPolicy(const std::string& conninfo)
      : watcher_(io_.get_executor(), conninfo,
                 [this](std::shared_ptr<const presence::PolicyRows> rows) {
                   snapshot_.store(std::make_shared<const PolicySnapshot>(*rows));
                 },
                 Logger{}, metrics_) {
    finished_ = asio::co_spawn(io_, watcher_.run(),
                               asio::bind_cancellation_slot(stop_.slot(), asio::use_future));
    thread_ = std::thread{[this] { io_.run(); }};
  }
  ~LiveRouterPolicy() {
    asio::post(io_, [this] { stop_.emit(asio::cancellation_type::terminal); });
    finished_.wait_for(std::chrono::seconds(10));
    io_.stop();
    thread_.join();
  }
  // Waits (bounded) until the current snapshot satisfies `ok`.
  bool eventually(const std::function<bool(const PolicySnapshot&)>& ok) {
    for (auto end = Clock::now() + seconds(15); Clock::now() < end;) {
      auto s = snapshot_.load();
      if (s && ok(*s)) {
        return true;
      }
      std::this_thread::sleep_for(milliseconds(10));
    }
    return false;
  }

 private:
  asio::io_context io_;
  MetricsRegistry metrics_;
  PolicyWatcher watcher_;
  asio::cancellation_signal stop_;
  std::future<void> finished_;
  std::thread thread_;
  std::atomic<std::shared_ptr<const PolicySnapshot>> snapshot_;
};

presence::Address addr(std::string_view text) { return presence::Address::parse(text).value(); }

SubscriptionVerdict verdict(const PolicySnapshot& s) {
  return s.check_incoming_subscription(addr("bob@partner.example"), addr("alice@corp.example"))
      .verdict;
}

class RouterLivePolicy : public test::PgTest {};

TEST_F(RouterLivePolicy, FederatingThenBlockingChangesTheNextSubscriptionDecision) {
  test::exec_sql(conninfo_,
                 "INSERT INTO local_domains (domain) VALUES ('corp.example');"
                 "INSERT INTO users (address) VALUES ('alice@corp.example');"
                 "UPDATE xmpp_federation_policy SET default_action = 'deny'");
  LiveRouterPolicy live(conninfo_);
  ASSERT_TRUE(live.eventually([](auto& s) { return verdict(s) == SubscriptionVerdict::refuse; }));
  test::exec_sql(conninfo_, "INSERT INTO sip_federated_domains (domain) VALUES ('partner.example')");
  EXPECT_TRUE(live.eventually([](auto& s) { return verdict(s) == SubscriptionVerdict::ask_home; }));
  test::exec_sql(conninfo_,
                 "INSERT INTO user_policies (local_user, target, action, scope) VALUES "
                 "('alice@corp.example', 'bob@partner.example', 'block', 'presence')");
  EXPECT_TRUE(
      live.eventually([](auto& s) { return verdict(s) == SubscriptionVerdict::polite_block; }));
}

TEST_F(RouterLivePolicy, XmppDefaultDenyStopsTheNextOutboundMessage) {
  test::exec_sql(conninfo_, "INSERT INTO local_domains (domain) VALUES ('corp.example')");
  LiveRouterPolicy live(conninfo_);
  auto allowed = [](const PolicySnapshot& s) {
    return s.may_send("corp.example", "jabber.example").allowed;
  };
  ASSERT_TRUE(live.eventually(allowed));
  test::exec_sql(conninfo_, "UPDATE xmpp_federation_policy SET default_action = 'deny'");
  EXPECT_TRUE(live.eventually([&](auto& s) { return !allowed(s); }));
  test::exec_sql(conninfo_, "INSERT INTO xmpp_policy_exceptions (pattern, direction) "
                            "VALUES ('*.jabber.example', 'outbound_only')");
  EXPECT_TRUE(live.eventually(allowed));
}

}  // namespace
}  // namespace fedgate::gateway
