// Property test (seeded PRNG, bounded): over random policies and events,
// (1) an IM a naive reference reading of the policy rows denies never produces anything but
//     an error back to its sender, and one it allows is delivered exactly once;
// (2) a watcher blocked by the presentity never receives presence other than offline, and
//     the presentity's home is never asked about a blocked or refused watcher.
#include <gtest/gtest.h>

#include <random>

#include "tests/unit/presence/router/fake_switchboard.hpp"
#include "tests/unit/presence/router/policy_fixture.hpp"
#include "tests/unit/presence/router/reference_policy.hpp"

namespace fedgate::presence {
namespace {

using testing_support::addr;
using testing_support::FakeSwitchboard;
using testing_support::random_rows;
using testing_support::ref_domain_allows;
using testing_support::ref_is_local;
using testing_support::reference_allows;
using testing_support::reference_blocks_presence;

constexpr int kPolicies = 300;
constexpr int kEventsPerPolicy = 60;

const std::vector<std::string> kUsers = {"u1@corp.example", "u2@corp.example",   "u3@lync.example",
                                         "r1@a.example",    "r2@sub.b.example",  "r3@b.example",
                                         "r4@sip1.example", "r5@c.example",      "r6@sip2.example",
                                         "r7@d.example",    "r8@x.sub.b.example"};

TEST(PolicyProperty, DeniedMessagesNeverGoOutAllowedOnesGoOutOnce) {
  std::mt19937 rng{20240517};
  int allowed_count = 0;
  int denied_count = 0;
  for (int p = 0; p < kPolicies; ++p) {
    PolicyRows rows = random_rows(rng);
    FakeSwitchboard sb{rows};
    std::uniform_int_distribution<std::size_t> pick(0, kUsers.size() - 1);
    for (int e = 0; e < kEventsPerPolicy; ++e) {
      InboundMessage m{"id", addr(kUsers[pick(rng)]), addr(kUsers[pick(rng)]), {"body"}};
      sb.message(m);
      auto out = sb.take();
      if (!out.empty() && out[0].kind == "invite") {  // the SIP side accepts the session
        sb.invite_answer(m.to, m.from, 200);
        ASSERT_TRUE(sb.take().empty());
      }
      ASSERT_EQ(out.size(), 1u) << "policy " << p;
      bool allowed = reference_allows(rows, m.from, m.to, TrafficKind::im);
      ++(allowed ? allowed_count : denied_count);
      EXPECT_EQ(out[0].kind != "error", allowed)
          << "policy " << p << ": " << m.from.full() << " -> " << m.to.full();
      EXPECT_EQ(out[0].to, allowed ? m.to : m.from);
    }
  }
  EXPECT_GT(allowed_count, 1000);  // both paths are exercised, not just one
  EXPECT_GT(denied_count, 1000);
}

TEST(PolicyProperty, BlockedWatcherSeesOnlyOfflineAndHomeIsNeverAsked) {
  std::mt19937 rng{7};
  std::uniform_int_distribution<int> avail(0, 8);
  int to_blocked = 0;
  int real_presence = 0;
  for (int p = 0; p < kPolicies; ++p) {
    PolicyRows rows = random_rows(rng);
    FakeSwitchboard sb{rows};
    std::uniform_int_distribution<std::size_t> local(0, 2);
    std::uniform_int_distribution<std::size_t> remote(3, kUsers.size() - 1);
    for (int e = 0; e < kEventsPerPolicy; ++e) {
      Address watcher = addr(kUsers[remote(rng)]);
      Address presentity = addr(kUsers[local(rng)]);
      switch (e % 5) {
        case 0:
          sb.subscription({SubscriptionAction::subscribe, watcher, presentity, "s"});
          break;
        case 1:
          sb.subscription({SubscriptionAction::approve, presentity, watcher, "s"});
          break;
        case 2:
          sb.presence(presentity, static_cast<Availability>(avail(rng)), "secret");
          break;
        case 3:
          sb.subscription({SubscriptionAction::probe, watcher, presentity, "s"});
          break;
        case 4:  // the administrator changes policy under live subscriptions
          rows = random_rows(rng);
          sb.set_policy(rows);
          break;
      }
      for (const auto& ev : sb.take()) {
        bool blocked = reference_blocks_presence(rows, ev.from, ev.to);
        real_presence += ev.kind == "presence" && ev.availability != Availability::offline;
        to_blocked += ev.kind == "presence" && blocked;
        if (ev.kind == "presence" && blocked) {
          EXPECT_EQ(ev.availability, Availability::offline) << "policy " << p;
          EXPECT_EQ(ev.detail, "") << "policy " << p;
        }
        bool to_home = ev.kind == "subscribe" && ref_is_local(rows, ev.to.domain());
        if (to_home && (!reference_allows(rows, ev.from, ev.to, TrafficKind::presence))) {
          ADD_FAILURE() << "home asked about " << ev.from.full() << " in policy " << p;
        }
        if (ev.kind == "subscribe" && !ref_domain_allows(rows, ev.from, ev.to)) {
          ADD_FAILURE() << "subscribe across a denied domain in policy " << p;
        }
      }
    }
  }
  EXPECT_GT(to_blocked, 50);  // blocked watchers were really exercised
  EXPECT_GT(real_presence, 50);
}

}  // namespace
}  // namespace fedgate::presence
