// Memory per active bridged subscription and per chat session, measured with the counting
// operator new (counting_new.cpp): live heap footprint after / before, divided by N. Reported
// as counters "bytes_per_subscription" / "bytes_per_session"; plus restore time for 100,000.
#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <vector>

#include "presence/chat_session_machine.hpp"
#include "presence/subscription_machine.hpp"
#include "tests/bench/presence/counting_new.hpp"

namespace fedgate::presence {
namespace {

constexpr int kCount = 100000;

// A realistic stored SIP dialog (Call-ID, tags, CSeq, one route), 120 bytes.
const std::string kDialog(120, 'd');

PolicySnapshot sip_partner_policy() {
  PolicyRows rows;
  rows.local_domains = {{"corp.example", Protocol::xmpp}};
  rows.sip_federated_domains = {{"partner.example", SipIntegration::s4b, ""}};
  return PolicySnapshot{rows};
}

std::vector<Subscription> rows(bool with_dialog) {
  std::vector<Subscription> out;
  out.reserve(kCount);
  for (int i = 0; i < kCount; ++i) {
    Subscription s;
    s.watcher = Address::parse("user" + std::to_string(i % 20000) + "@corp.example").value();
    s.presentity = Address::parse("contact" + std::to_string(i) + "@partner.example").value();
    s.state = SubscriptionState::active;
    s.watcher_is_local = true;
    s.expires = WallTime{std::chrono::hours{1}};
    s.sip_dialog = with_dialog ? kDialog : std::string{};
    out.push_back(std::move(s));
  }
  return out;
}

void BM_MemoryPerSubscription(benchmark::State& state) {
  auto policy = sip_partner_policy();
  bool with_dialog = state.range(0) != 0;
  double per = 0;
  for (auto _ : state) {
    std::size_t before = bench::live_bytes();
    auto machine = std::make_unique<SubscriptionMachine>();
    {
      auto fx = machine->restore(rows(with_dialog), {}, policy, WallTime{});
      benchmark::DoNotOptimize(fx);
    }
    per = double(bench::live_bytes() - before) / kCount;
  }
  state.counters["bytes_per_subscription"] = per;
}
BENCHMARK(BM_MemoryPerSubscription)->Arg(0)->Arg(1)->Iterations(1)->Unit(benchmark::kMillisecond);

// Start-up restore of 100,000 subscriptions (in memory, excluding the database read).
void BM_Restore100k(benchmark::State& state) {
  auto policy = sip_partner_policy();
  for (auto _ : state) {
    state.PauseTiming();
    auto input = rows(true);
    state.ResumeTiming();
    SubscriptionMachine machine;
    auto fx = machine.restore(std::move(input), {}, policy, WallTime{});
    benchmark::DoNotOptimize(fx);
  }
}
BENCHMARK(BM_Restore100k)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_MemoryPerChatSession(benchmark::State& state) {
  double per = 0;
  for (auto _ : state) {
    std::size_t before = bench::live_bytes();
    auto chats = std::make_unique<ChatSessionMachine>();
    for (int i = 0; i < kCount; ++i) {
      auto fx = chats->on_remote_invite(
          Address::parse("contact" + std::to_string(i) + "@partner.example").value(),
          Address::parse("user" + std::to_string(i % 20000) + "@corp.example").value(), kDialog,
          TimePoint{});
      benchmark::DoNotOptimize(fx);
    }
    per = double(bench::live_bytes() - before) / kCount;
  }
  state.counters["bytes_per_session"] = per;
}
BENCHMARK(BM_MemoryPerChatSession)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace fedgate::presence

BENCHMARK_MAIN();
