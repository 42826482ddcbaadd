// Stanzas/s through an authenticated InboundStream (parse + from/to checks + XEP-0198
// counting), the sans-I/O part of relaying; and the bytes an idle authenticated stream holds.
#include <benchmark/benchmark.h>

#include <memory>

#include "tests/bench/xmpp/traffic.hpp"
#include "xmpp/stream/inbound_stream.hpp"
#include "xmpp/stream/stream_config.hpp"

namespace {

using namespace fedgate::xmpp;

std::shared_ptr<StreamConfig> config() {
  auto c = std::make_shared<StreamConfig>();
  c->security.dialback_secret = "secret";
  c->tls_available = false;
  c->serves = [](std::string_view d) { return d == "montague.example"; };
  c->new_stream_id = [] { return std::string("id"); };
  return c;
}

std::unique_ptr<InboundStream> authenticated(const std::shared_ptr<StreamConfig>& c) {
  auto s = std::make_unique<InboundStream>(c, fedgate::TimePoint{});
  s->on_bytes(bench::kHeader, {});
  auto a = s->on_bytes("<db:result from='capulet.example' to='montague.example'>k</db:result>", {});
  s->on_dialback_verdict(a.verify.at(0), DialbackOutcome::valid, {});
  s->on_bytes("<enable xmlns='urn:xmpp:sm:3'/>", {});
  return s;
}

void BM_InboundStanzas(benchmark::State& state) {
  const auto t = bench::make_traffic(1024 * 1024);
  const auto c = config();
  std::size_t routed = 0;
  for (auto _ : state) {
    auto s = authenticated(c);
    for (std::size_t i = 0; i < t.bytes.size(); i += 16 * 1024) {
      auto a = s->on_bytes(std::string_view(t.bytes).substr(i, 16 * 1024), {});
      routed += a.stanzas.size();
      benchmark::DoNotOptimize(a);
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(routed));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * t.bytes.size()));
}
BENCHMARK(BM_InboundStanzas)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
