// SIP transport benchmarks on loopback, one thread: (1) OPTIONS -> 200 OK round trips over one
// established mutual-TLS connection (both ends in this process: client pool and server
// listener, each with its framer, parser, serializer and mailbox); (2) the live heap
// (glibc mallinfo2, which includes OpenSSL's allocations) per idle TLS connection end, and
// the part of it OpenSSL holds (counted through CRYPTO_set_mem_functions).
#include <benchmark/benchmark.h>
#include <malloc.h>
#include <openssl/crypto.h>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>
#include <cstdlib>

#include "sip/codec/parser.hpp"
#include "transport_harness.hpp"

namespace fedgate::sip::test {
namespace {

namespace asio = boost::asio;

// OpenSSL's live heap, as glibc sizes its blocks (malloc_usable_size: no header of our own,
// so that mallinfo2 sees the same heap as without counting).
std::atomic<long> g_openssl_bytes{0};

void* ssl_malloc(std::size_t n, const char*, int) {
  void* p = std::malloc(n);
  g_openssl_bytes += static_cast<long>(malloc_usable_size(p));
  return p;
}

void ssl_free(void* p, const char*, int) {
  g_openssl_bytes -= static_cast<long>(malloc_usable_size(p));
  std::free(p);
}

void* ssl_realloc(void* old, std::size_t n, const char*, int) {
  g_openssl_bytes -= static_cast<long>(malloc_usable_size(old));
  void* p = std::realloc(old, n);
  g_openssl_bytes += static_cast<long>(malloc_usable_size(p != nullptr || n == 0 ? p : old));
  return p;
}

template <class T>
T complete(asio::io_context& io, asio::awaitable<T> work) {
  auto future = asio::co_spawn(io, std::move(work), asio::use_future);
  for (int i = 0;
       i < 10000 && future.wait_for(std::chrono::seconds(0)) != std::future_status::ready; ++i) {
    io.run_for(std::chrono::milliseconds(1));
  }
  return future.get();
}

void drain(asio::io_context& io, std::vector<Side*> sides) {
  for (auto* side : sides) {
    side->stop();
  }
  for (int i = 0; i < 300; ++i) {
    io.run_for(std::chrono::milliseconds(5));
  }
}

void BM_TlsRoundTrip(benchmark::State& state) {
  Pki pki;
  asio::io_context io;
  Side a(io, pki.settings("a")), b(io, pki.settings("b"));
  a.handler.answer = false;
  if (!b.start()) {
    state.SkipWithError("listen failed");
    return;
  }
  auto handle = complete(io, a.pool.connect(PeerKey("127.0.0.1", b.port(), Transport::tls)));
  auto request = parse_message(options_request("bench-1"));
  if (!handle || !request) {
    state.SkipWithError("connect failed");
    return;
  }
  for (auto _ : state) {
    auto expected = a.handler.received.size() + 1;
    (void)handle->send(*request);
    while (a.handler.received.size() < expected) {
      io.run_one_for(std::chrono::seconds(1));
    }
    a.handler.received.clear();
    b.handler.received.clear();
  }
  state.SetItemsProcessed(state.iterations());
  drain(io, {&a, &b});
}
BENCHMARK(BM_TlsRoundTrip)->Unit(benchmark::kMicrosecond);

void BM_IdleTlsConnectionMemory(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const bool resumption = state.range(1) != 0;  // TLS session cache and tickets
  for (auto _ : state) {
    Pki pki;
    asio::io_context io;
    TransportConfig config;
    config.max_connections_per_address = 100000;
    auto server = pki.settings("b");
    auto client = pki.settings("a");
    server.session_resumption = client.session_resumption = resumption;
    Side b(io, server, config);
    (void)b.start();
    std::vector<std::unique_ptr<Side>> clients;  // one pool each: n distinct connections
    for (int i = 0; i < n; ++i) {
      clients.push_back(std::make_unique<Side>(io, client));
    }
    io.run_for(std::chrono::milliseconds(20));
    std::size_t before = mallinfo2().uordblks;
    long openssl_before = g_openssl_bytes;
    for (auto& client : clients) {
      (void)complete(io, client->pool.connect(PeerKey("127.0.0.1", b.port(), Transport::tls)));
    }
    for (int i = 0; i < 50; ++i) {
      io.run_for(std::chrono::milliseconds(2));
    }
    std::size_t after = mallinfo2().uordblks;
    state.counters["bytes_per_end"] = static_cast<double>(after - before) / (2.0 * n);
    state.counters["openssl_bytes_per_end"] =
        static_cast<double>(g_openssl_bytes - openssl_before) / (2.0 * n);
    std::vector<Side*> all{&b};
    for (auto& c : clients) {
      all.push_back(c.get());
    }
    drain(io, all);
  }
}
BENCHMARK(BM_IdleTlsConnectionMemory)
    ->Args({200, 1})
    ->Args({200, 0})
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace fedgate::sip::test

int main(int argc, char** argv) {
  // Before any OpenSSL call, so that every block it frees was counted.
  CRYPTO_set_mem_functions(&fedgate::sip::test::ssl_malloc, &fedgate::sip::test::ssl_realloc,
                           &fedgate::sip::test::ssl_free);
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
