// Memory per idle established mutual-TLS connection: N loopback pairs are set up (handshake,
// then one byte each way), and the live heap is compared before and after. OpenSSL's heap is
// counted through CRYPTO_set_mem_functions, the C++ heap (Asio's ssl::stream with its two
// 17 kB record buffers) through a replaced operator new. Reported per endpoint. Further cases:
// gw_net's TlsSocket, and raw SSL objects over the socket (SSL_set_fd) as the floor.

// The replaced operator new/delete sit on malloc/free; GCC's inliner then warns about
// "mismatched" pairs and header offsets it cannot see through.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#pragma GCC diagnostic ignored "-Warray-bounds"
#pragma GCC diagnostic ignored "-Wrestrict"
#pragma GCC diagnostic ignored "-Wstringop-overflow"

#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/ssl.h>
#include <poll.h>

#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <cstdlib>
#include <cstring>
#include <list>
#include <new>

#include "gateway/net/test_pki.hpp"
#include "gateway/net/tls_context.hpp"
#include "gateway/net/tls_socket.hpp"

namespace {

std::atomic<long> g_ssl_bytes{0};
std::atomic<long> g_cxx_bytes{0};
constexpr std::size_t kHeader = 16;  // keeps 16-byte alignment

void* counted_alloc(std::size_t n, std::atomic<long>& counter) {
  auto* p = static_cast<unsigned char*>(std::malloc(n + kHeader));
  if (p == nullptr) {
    return nullptr;
  }
  std::memcpy(p, &n, sizeof n);
  counter += static_cast<long>(n);
  return p + kHeader;
}

void counted_free(void* ptr, std::atomic<long>& counter) {
  if (ptr == nullptr) {
    return;
  }
  auto* p = static_cast<unsigned char*>(ptr) - kHeader;
  std::size_t n = 0;
  std::memcpy(&n, p, sizeof n);
  counter -= static_cast<long>(n);
  std::free(p);
}

void* ssl_malloc(std::size_t n, const char*, int) { return counted_alloc(n, g_ssl_bytes); }
void ssl_free(void* p, const char*, int) { counted_free(p, g_ssl_bytes); }
void* ssl_realloc(void* old, std::size_t n, const char* f, int l) {
  void* fresh = ssl_malloc(n, f, l);
  if (old != nullptr && fresh != nullptr) {
    std::size_t was = 0;
    std::memcpy(&was, static_cast<unsigned char*>(old) - kHeader, sizeof was);
    std::memcpy(fresh, old, std::min(was, n));
  }
  ssl_free(old, f, l);
  return fresh;
}

}  // namespace

void* operator new(std::size_t n) {
  void* p = counted_alloc(n, g_cxx_bytes);
  if (p == nullptr) {
    throw std::bad_alloc();
  }
  return p;
}
void operator delete(void* p) noexcept { counted_free(p, g_cxx_bytes); }
void operator delete(void* p, std::size_t) noexcept { counted_free(p, g_cxx_bytes); }

namespace fedgate::gateway {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using Stream = asio::ssl::stream<tcp::socket>;
constexpr auto kNoThrow = asio::as_tuple(asio::use_awaitable);

asio::awaitable<void> exchange_one_byte(Stream& s, asio::ssl::stream_base::handshake_type t) {
  co_await s.async_handshake(t, kNoThrow);
  char byte = 'x';
  if (t == asio::ssl::stream_base::client) {
    co_await asio::async_write(s, asio::buffer(&byte, 1), kNoThrow);
    co_await asio::async_read(s, asio::buffer(&byte, 1), kNoThrow);
  } else {
    co_await asio::async_read(s, asio::buffer(&byte, 1), kNoThrow);
    co_await asio::async_write(s, asio::buffer(&byte, 1), kNoThrow);
  }
}

TlsSettings settings_for(const TestCert& cert, const TestCa& ca, bool tls12, bool release,
                         bool resumption = true) {
  TlsSettings s;
  s.session_resumption = resumption;
  s.identity = {cert.cert, cert.key};
  s.ca = ca.cert_pem();
  s.max_version = tls12 ? TlsVersion::tls1_2 : TlsVersion::tls1_3;
  s.release_buffers = release;
  return s;
}

void BM_IdleTlsConnection(benchmark::State& state) {
  const bool tls12 = state.range(0) != 0;
  const bool release = state.range(1) != 0;
  const int pairs = static_cast<int>(state.range(2));
  TestDir dir;
  auto ca = TestCa::create(dir.path());
  auto server_cert = ca->issue("server", good_spec("a.example"));
  auto client_cert = ca->issue("client", good_spec("b.example"));
  auto server = TlsContext::server(settings_for(*server_cert, *ca, tls12, release));
  auto client = TlsContext::client(settings_for(*client_cert, *ca, tls12, release));
  for (auto _ : state) {
    asio::io_context io;
    tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    std::list<Stream> streams;
    long ssl_before = g_ssl_bytes, cxx_before = g_cxx_bytes;
    for (int i = 0; i < pairs; ++i) {
      auto& c = streams.emplace_back(io, client->native());
      c.next_layer().connect(acceptor.local_endpoint());
      auto& s = streams.emplace_back(acceptor.accept(), server->native());
      asio::co_spawn(io, exchange_one_byte(c, asio::ssl::stream_base::client), asio::detached);
      asio::co_spawn(io, exchange_one_byte(s, asio::ssl::stream_base::server), asio::detached);
    }
    io.run_for(std::chrono::seconds(30));
    state.counters["openssl_bytes_per_endpoint"] =
        static_cast<double>(g_ssl_bytes - ssl_before) / (2.0 * pairs);
    state.counters["cxx_bytes_per_endpoint"] =
        static_cast<double>(g_cxx_bytes - cxx_before) / (2.0 * pairs);
  }
}
BENCHMARK(BM_IdleTlsConnection)
    ->ArgNames({"tls12", "release_buffers", "pairs"})
    ->Args({0, 1, 100})
    ->Args({0, 0, 100})
    ->Args({1, 1, 100})
    ->Args({1, 0, 100})
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

asio::awaitable<void> tls_socket_one_byte(TlsSocket& tls, TlsSocket::Role role) {
  auto hs = co_await tls.handshake(role);
  char byte = 'x';
  if (hs && role == TlsSocket::Role::client) {
    co_await tls.write(asio::buffer(&byte, 1));
    co_await tls.read_some(asio::buffer(&byte, 1));
  } else if (hs) {
    co_await tls.read_some(asio::buffer(&byte, 1));
    co_await tls.write(asio::buffer(&byte, 1));
  }
}

// The same over gw_net's TlsSocket (SSL on the socket fd, no BIO pair, no stream buffers).
void BM_IdleTlsSocket(benchmark::State& state) {
  const bool tls12 = state.range(0) != 0;
  const bool resumption = state.range(1) != 0;
  const int pairs = static_cast<int>(state.range(2));
  TestDir dir;
  auto ca = TestCa::create(dir.path());
  auto server_cert = ca->issue("server", good_spec("a.example"));
  auto client_cert = ca->issue("client", good_spec("b.example"));
  auto server = TlsContext::server(settings_for(*server_cert, *ca, tls12, true, resumption));
  auto client = TlsContext::client(settings_for(*client_cert, *ca, tls12, true, resumption));
  for (auto _ : state) {
    asio::io_context io;
    tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    std::list<TlsSocket> sockets;
    long ssl_before = g_ssl_bytes, cxx_before = g_cxx_bytes;
    for (int i = 0; i < pairs; ++i) {
      tcp::socket cs(io);
      cs.connect(acceptor.local_endpoint());
      auto& c = sockets.emplace_back(std::move(*TlsSocket::create(std::move(cs), *client)));
      auto& s = sockets.emplace_back(std::move(*TlsSocket::create(acceptor.accept(), *server)));
      asio::co_spawn(io, tls_socket_one_byte(c, TlsSocket::Role::client), asio::detached);
      asio::co_spawn(io, tls_socket_one_byte(s, TlsSocket::Role::server), asio::detached);
    }
    io.run_for(std::chrono::seconds(30));
    state.counters["openssl_bytes_per_endpoint"] =
        static_cast<double>(g_ssl_bytes - ssl_before) / (2.0 * pairs);
    state.counters["cxx_bytes_per_endpoint"] =
        static_cast<double>(g_cxx_bytes - cxx_before) / (2.0 * pairs);
  }
}
BENCHMARK(BM_IdleTlsSocket)
    ->ArgNames({"tls12", "resumption", "pairs"})
    ->Args({0, 1, 100})
    ->Args({0, 0, 100})
    ->Args({1, 1, 100})
    ->Args({1, 0, 100})
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

// Non-blocking handshake of two raw SSLs on connected sockets, bounded to 2,000 rounds.
bool pump_handshake(SSL* client, SSL* server) {
  int c = 0, s = 0;
  for (int round = 0; round < 2000 && (c != 1 || s != 1); ++round) {
    c = c == 1 ? 1 : SSL_do_handshake(client);
    s = s == 1 ? 1 : SSL_do_handshake(server);
    pollfd fds[2] = {{SSL_get_fd(client), POLLIN, 0}, {SSL_get_fd(server), POLLIN, 0}};
    poll(fds, 2, 1);
  }
  return c == 1 && s == 1;
}

bool exchange_raw(SSL* client, SSL* server) {
  char byte = 'x';
  if (SSL_write(client, &byte, 1) != 1) {
    return false;
  }
  for (int round = 0; round < 2000; ++round) {
    if (SSL_read(server, &byte, 1) == 1) {
      SSL_read(client, &byte, 0);  // consume TLS 1.3 tickets
      return true;
    }
    pollfd fd{SSL_get_fd(server), POLLIN, 0};
    poll(&fd, 1, 1);
  }
  return false;
}

void BM_IdleRawSslOverSocket(benchmark::State& state) {
  const bool tls12 = state.range(0) != 0;
  const bool resumption = state.range(1) != 0;
  const int pairs = static_cast<int>(state.range(2));
  TestDir dir;
  auto ca = TestCa::create(dir.path());
  auto server_cert = ca->issue("server", good_spec("a.example"));
  auto client_cert = ca->issue("client", good_spec("b.example"));
  auto server = TlsContext::server(settings_for(*server_cert, *ca, tls12, true, resumption));
  auto client = TlsContext::client(settings_for(*client_cert, *ca, tls12, true, resumption));
  for (auto _ : state) {
    asio::io_context io;
    tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    std::list<tcp::socket> sockets;
    std::vector<SSL*> ssls;
    long ssl_before = g_ssl_bytes;
    int ok = 0;
    for (int i = 0; i < pairs; ++i) {
      auto& cs = sockets.emplace_back(io);
      cs.connect(acceptor.local_endpoint());
      auto& ss = sockets.emplace_back(acceptor.accept());
      cs.non_blocking(true);
      ss.non_blocking(true);
      SSL* c = SSL_new(client->native().native_handle());
      SSL* s = SSL_new(server->native().native_handle());
      SSL_set_mode(c, SSL_MODE_RELEASE_BUFFERS);
      SSL_set_mode(s, SSL_MODE_RELEASE_BUFFERS);
      SSL_set_fd(c, cs.native_handle());
      SSL_set_fd(s, ss.native_handle());
      SSL_set_connect_state(c);
      SSL_set_accept_state(s);
      ok += pump_handshake(c, s) && exchange_raw(c, s);
      ssls.push_back(c);
      ssls.push_back(s);
    }
    state.counters["openssl_bytes_per_endpoint"] =
        static_cast<double>(g_ssl_bytes - ssl_before) / (2.0 * pairs);
    state.counters["established"] = ok;
    for (SSL* ssl : ssls) {
      SSL_free(ssl);
    }
  }
}
BENCHMARK(BM_IdleRawSslOverSocket)
    ->ArgNames({"tls12", "resumption", "pairs"})
    ->Args({0, 1, 100})
    ->Args({0, 0, 100})
    ->Args({1, 1, 100})
    ->Args({1, 0, 100})
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace fedgate::gateway

int main(int argc, char** argv) {
  CRYPTO_set_mem_functions(&ssl_malloc, &ssl_realloc, &ssl_free);  // before any OpenSSL use
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
