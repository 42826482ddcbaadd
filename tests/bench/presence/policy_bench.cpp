// Policy decisions per second on a large snapshot: 10,000 federated domains (5,000 SIP
// federated, 5,000 XMPP exceptions, half of them wildcards) and 100,000 per-user rules
// (10,000 local users × 10 rules), XMPP default deny.
#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <vector>

#include "presence/policy_snapshot.hpp"
#include "presence/router.hpp"

namespace fedgate::presence {
namespace {

constexpr int kDomains = 5000;
constexpr int kUsers = 10000;
constexpr int kRulesPerUser = 10;

std::string sip_domain(int i) { return "sip" + std::to_string(i) + ".partner.example"; }
std::string xmpp_domain(int i) { return "xmpp" + std::to_string(i) + ".partner.example"; }
std::string local_user(int i) { return "user" + std::to_string(i) + "@corp.example"; }

PolicyRows big_rows() {
  PolicyRows rows;
  rows.local_domains = {{"corp.example", Protocol::xmpp}};
  rows.xmpp_default = PolicyDefault::deny;
  for (int i = 0; i < kDomains; ++i) {
    rows.sip_federated_domains.push_back({sip_domain(i), SipIntegration::s4b, ""});
    rows.xmpp_exceptions.push_back(
        {(i % 2 == 0 ? "*." : "") + xmpp_domain(i), static_cast<Direction>(i % 3)});
  }
  for (int u = 0; u < kUsers; ++u) {
    for (int r = 0; r < kRulesPerUser; ++r) {
      int d = (u * 7 + r * 13) % kDomains;
      std::string target =
          r % 2 == 0 ? "bob" + std::to_string(r) + "@" + sip_domain(d) : xmpp_domain(d);
      rows.user_policies.push_back({local_user(u), target,
                                    r % 3 == 0 ? RuleAction::block : RuleAction::allow,
                                    static_cast<RuleScope>(r % 3)});
    }
  }
  return rows;
}

struct Pair {
  Address from;
  Address to;
};

std::vector<Pair> random_pairs(std::size_t n) {
  std::mt19937 rng{42};
  std::uniform_int_distribution<int> user(0, kUsers - 1);
  std::uniform_int_distribution<int> domain(0, kDomains - 1);
  std::vector<Pair> pairs;
  for (std::size_t i = 0; i < n; ++i) {
    int d = domain(rng);
    std::string remote = "bob" + std::to_string(i % 10) + "@" +
                         (i % 3 == 0   ? "a." + xmpp_domain(d)
                          : i % 3 == 1 ? sip_domain(d)
                                       : xmpp_domain(d));
    Pair p{Address::parse(local_user(user(rng))).value(), Address::parse(remote).value()};
    if (i % 2 == 0) {
      std::swap(p.from, p.to);  // half inbound, half outbound
    }
    pairs.push_back(std::move(p));
  }
  return pairs;
}

const PolicySnapshot& snapshot() {
  static const PolicySnapshot s{big_rows()};
  return s;
}

// may_send (classification, XMPP policy with wildcards and direction) + the per-user rule.
void BM_PolicyDecision(benchmark::State& state) {
  const auto& policy = snapshot();
  auto pairs = random_pairs(4096);
  std::size_t i = 0;
  for (auto _ : state) {
    const auto& p = pairs[i++ & 4095];
    auto v = policy.may_send(p.from.domain(), p.to.domain());
    bool inbound = policy.is_local(p.to.domain());
    auto r = policy.user_rule(inbound ? p.to : p.from, inbound ? p.from : p.to, TrafficKind::im);
    benchmark::DoNotOptimize(v);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PolicyDecision);

// The ordered checks of an incoming subscription.
void BM_SubscriptionCheck(benchmark::State& state) {
  const auto& policy = snapshot();
  auto pairs = random_pairs(4096);
  std::size_t i = 0;
  for (auto _ : state) {
    const auto& p = pairs[i++ & 4095];
    bool inbound = policy.is_local(p.to.domain());
    auto c = policy.check_incoming_subscription(inbound ? p.from : p.to, inbound ? p.to : p.from);
    benchmark::DoNotOptimize(c);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SubscriptionCheck);

// The whole IM decision, including building the Deliver (copies the message content).
void BM_RouteMessage(benchmark::State& state) {
  const auto& policy = snapshot();
  auto pairs = random_pairs(4096);
  std::vector<InboundMessage> msgs;
  for (const auto& p : pairs) {
    msgs.push_back({"id-1", p.from, p.to, {"Wherefore art thou Romeo?"}});
  }
  std::size_t i = 0;
  for (auto _ : state) {
    auto d = route(msgs[i++ & 4095], policy);
    benchmark::DoNotOptimize(d);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RouteMessage);

void BM_SnapshotBuild(benchmark::State& state) {
  auto rows = big_rows();
  for (auto _ : state) {
    PolicySnapshot s{rows};
    benchmark::DoNotOptimize(s);
  }
}
BENCHMARK(BM_SnapshotBuild)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace fedgate::presence
