// Presence translations per second (no wire parsing): Lync number → XMPP show/status,
// XMPP show → Lync number, a neutral Presence with endpoints → XMPP, and aggregation.
#include <benchmark/benchmark.h>

#include <array>

#include "presence/presence_aggregator.hpp"
#include "presence/presence_translator.hpp"

namespace fedgate::presence {
namespace {

constexpr std::array<int, 8> kNumbers{3500, 5000, 6500, 9500, 12500, 15500, 18500, 4000};
constexpr std::array<std::string_view, 6> kShows{"", "chat", "away", "xa", "dnd", "unavailable"};

void BM_LyncToXmpp(benchmark::State& state) {
  PresenceTranslator t;
  std::size_t i = 0;
  for (auto _ : state) {
    auto f = t.to_xmpp(kNumbers[i & 7], (i & 8) != 0 ? "In a meeting" : "");
    ++i;
    benchmark::DoNotOptimize(f);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_LyncToXmpp);

void BM_XmppToLync(benchmark::State& state) {
  PresenceTranslator t;
  std::size_t i = 0;
  for (auto _ : state) {
    auto f = t.to_lync(kShows[i++ % kShows.size()], "Back soon");
    benchmark::DoNotOptimize(f);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_XmppToLync);

// One XMPP resource update folded into a 3-resource presence, then translated for Lync.
void BM_AggregateAndTranslate(benchmark::State& state) {
  PresenceTranslator t;
  Presence p;
  p.entity = Address::parse("juliet@corp.example").value();
  for (const char* r : {"balcony", "garden", "phone"}) {
    apply_endpoint(p, {r, Availability::away, "Out", 0, std::nullopt, std::nullopt});
  }
  std::size_t i = 0;
  for (auto _ : state) {
    auto a = static_cast<Availability>(i++ % 8);  // never offline: the resource stays
    apply_endpoint(p, {"garden", a, "Wherefore", 1, std::nullopt, std::nullopt});
    auto f = t.to_lync(p);
    benchmark::DoNotOptimize(f);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AggregateAndTranslate);

}  // namespace
}  // namespace fedgate::presence
