// Relaying over established s2s streams, in one process on loopback, one thread: stanzas/s
// from S2sPool::send to the far side's StanzaHandler over TLS + SASL EXTERNAL with XEP-0198;
// and the heap an idle authenticated TLS stream holds (malloc counters, both ends).
#include <benchmark/benchmark.h>
#include <malloc.h>
#include <openssl/crypto.h>

#include <atomic>
#include <cstdlib>
#include <string>

#include "gateway/base/log.hpp"
#include "tests/unit/xmpp/transport/s2s_harness.hpp"
#include "xmpp/codec/stream_parser.hpp"

namespace {

using namespace fedgate;
using namespace fedgate::xmpp;
using namespace fedgate::xmpp::test;
const DomainPair kAtoB{"a.example", "b.example"};

Element typical_message(int i) {
  Element m = chat("juliet@a.example/balcony", "romeo@b.example",
                   "Wherefore art thou, Romeo? Deny thy father and refuse thy name.");
  m.set("id", "m" + std::to_string(i));
  Element active("active", "http://jabber.org/protocol/chatstates");
  m.add_child(std::move(active));
  return m;
}

void BM_S2sRelayTls(benchmark::State& state) {
  set_log_level(LogLevel::warn);
  Pki pki;
  boost::asio::io_context io;
  Side a(io, pki, "a.example", "a");
  Side b(io, pki, "b.example", "b");
  a.config.queue_limit = 1 << 20;
  a.route("b.example", b.listen());
  a.pool->send(kAtoB, typical_message(0));  // dial, TLS, SASL EXTERNAL, XEP-0198
  if (!run_until(io, [&] { return b.handler.stanzas.size() == 1; })) {
    state.SkipWithError("stream not established");
    return;
  }
  const auto batch = static_cast<std::size_t>(state.range(0));
  std::size_t relayed = 0;
  for (auto _ : state) {
    b.handler.stanzas.clear();
    for (std::size_t i = 0; i < batch; ++i) {
      a.pool->send(kAtoB, typical_message(static_cast<int>(i)));
    }
    if (!run_until(io, [&] { return b.handler.stanzas.size() == batch; })) {
      state.SkipWithError("stanzas lost");
      return;
    }
    relayed += batch;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(relayed));
  state.counters["streams"] = static_cast<double>(a.pool->streams());
  state.counters["bounced"] = static_cast<double>(a.bounced.size());
}
// Arg: stanzas sent before waiting for all of them (1: one round trip per stanza).
BENCHMARK(BM_S2sRelayTls)->Arg(1000)->Arg(1)->Unit(benchmark::kMicrosecond)->UseRealTime();

std::size_t heap_in_use() { return mallinfo2().uordblks; }

// OpenSSL's share of the heap, counted through CRYPTO_set_mem_functions (set in main).
std::atomic<long> g_openssl_bytes{0};
void* openssl_malloc(std::size_t n, const char*, int) {
  void* p = std::malloc(n);
  g_openssl_bytes += static_cast<long>(malloc_usable_size(p));
  return p;
}
void* openssl_realloc(void* old, std::size_t n, const char*, int) {
  g_openssl_bytes -= static_cast<long>(malloc_usable_size(old));
  void* p = std::realloc(old, n);
  g_openssl_bytes += static_cast<long>(malloc_usable_size(p));
  return p;
}
void openssl_free(void* p, const char*, int) {
  g_openssl_bytes -= static_cast<long>(malloc_usable_size(p));
  std::free(p);
}

// TLS contexts of `side` from `cert`, with or without session resumption.
void set_tls(Side& side, const Pki& pki, const std::string& cert, bool resumption) {
  auto settings = pki.settings(cert);
  settings.session_resumption = resumption;
  side.config.server_tls = *gateway::TlsContext::server(settings);
  side.config.client_tls = *gateway::TlsContext::client(settings);
}

// range(0) more connections (an outbound stream at one side, an inbound at the other), each
// for its own local domain xN.a.example (one wildcard certificate), authenticated with SASL
// EXTERNAL over TLS and then idle past hibernate_after; the heap they add, per stream end.
// range(1): TLS session resumption on (1) or off (0).
void BM_IdleTlsStreamMemory(benchmark::State& state) {
  set_log_level(LogLevel::warn);
  const int n = static_cast<int>(state.range(0));
  const bool resumption = state.range(1) != 0;
  for (auto _ : state) {
    Pki pki;
    gateway::TestCertSpec spec = gateway::good_spec("a.example");
    spec.dns_names.push_back("*.a.example");
    (void)pki.ca->issue("a-wild", spec);
    boost::asio::io_context io;
    Side a(io, pki, "a.example", "a-wild");
    Side b(io, pki, "b.example", "b");
    set_tls(a, pki, "a-wild", resumption);
    set_tls(b, pki, "b", resumption);
    a.config.hibernate_after = b.config.hibernate_after = std::chrono::milliseconds(100);
    b.config.max_inbound_per_address = static_cast<std::size_t>(n) + 1;  // all from 127.0.0.1
    a.route("b.example", b.listen());
    auto dial = [&](int first, int count) {
      for (int i = first; i < first + count; ++i) {
        const std::string local = "x" + std::to_string(i) + ".a.example";
        a.pool->send({local, "b.example"}, chat("u@" + local, "v@b.example", "hi"));
      }
      return run_until(
          io, [&] { return b.handler.stanzas.size() == static_cast<std::size_t>(first + count); },
          std::chrono::seconds(60));
    };
    dial(0, 1);  // warm-up: contexts, caches, first-use allocations
    b.handler.stanzas.shrink_to_fit();
    const std::size_t before = heap_in_use();
    const std::size_t expat_before = StreamParser::expat_bytes_in_use();
    const long openssl_before = g_openssl_bytes;
    const bool up = dial(1, n);
    b.handler.stanzas.clear();
    b.handler.stanzas.shrink_to_fit();
    run_until(
        io, [] { return false; }, std::chrono::milliseconds(400));  // settle: acks, idle
    const double added = static_cast<double>(heap_in_use()) - static_cast<double>(before);
    if (!up || a.pool->streams() != static_cast<std::size_t>(n + 1)) {
      state.SkipWithError("streams not established");
      return;
    }
    state.counters["bytes_per_stream_end"] = added / (2.0 * n);
    state.counters["bytes_per_connection"] = added / n;
    state.counters["openssl_bytes_per_stream_end"] =
        static_cast<double>(g_openssl_bytes - openssl_before) / (2.0 * n);
    state.counters["expat_bytes_per_stream_end"] =
        (static_cast<double>(StreamParser::expat_bytes_in_use()) -
         static_cast<double>(expat_before)) /
        (2.0 * n);
  }
}
BENCHMARK(BM_IdleTlsStreamMemory)
    ->ArgNames({"streams", "resumption"})
    ->Args({200, 1})
    ->Args({200, 0})
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
  CRYPTO_set_mem_functions(&openssl_malloc, &openssl_realloc, &openssl_free);  // before any use
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
