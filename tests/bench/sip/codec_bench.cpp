// sip_codec hot paths as the load bench exercises them: parse of a session MESSAGE, of a
// Lync-style NOTIFY with an msrtc categories body (the body msrtc_body_for writes, as the
// load generator sends it) and of a 200 OK; presence_from_msrtc on that body; serialize of a
// NOTIFY and of a 200 OK. Every benchmark reports `allocs` (operator new calls per op).
#include <benchmark/benchmark.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <new>
#include <string>

#include "sip/bridge/convert_presence_in.hpp"
#include "sip/bridge/convert_presence_out.hpp"
#include "sip/codec/msrtc_categories.hpp"
#include "sip/codec/parser.hpp"
#include "sip/codec/pidf.hpp"
#include "sip/codec/serializer.hpp"

namespace {
std::atomic<std::uint64_t> g_allocs{0};
}  // namespace

// noinline: GCC would otherwise pair the inlined malloc with a sized delete and warn.
__attribute__((noinline)) void* operator new(std::size_t n) {
  g_allocs.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n == 0 ? 1 : n)) {
    return p;
  }
  throw std::bad_alloc();
}
__attribute__((noinline)) void operator delete(void* p) noexcept { std::free(p); }
__attribute__((noinline)) void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace {

using namespace fedgate::sip;

const std::string kMessage =
    "MESSAGE sip:bob@contoso.com;opaque=user:epid:wK3lGhK7bVmvA8sT0ml1yQAA;gruu SIP/2.0\r\n"
    "Via: SIP/2.0/TLS 198.51.100.20:5061;branch=z9hG4bK3c1f9a72e8;ms-received-port=5061\r\n"
    "Max-Forwards: 69\r\n"
    "From: \"Alice Example\" <sip:alice@fabrikam.com>;tag=8a7b6c5d;epid=3c9e1f02a4\r\n"
    "To: <sip:bob@contoso.com>;tag=f3e2d1c0b9;epid=77aa55cc33\r\n"
    "Call-ID: 5b0e4f7c9a2d4e1b8c3f6a9d2e5b8c1f\r\n"
    "CSeq: 3 MESSAGE\r\n"
    "Contact: <sip:alice@fabrikam.com;opaque=user:epid:Ab12Cd34;gruu>\r\n"
    "User-Agent: UCCAPI/16.0.4849.1000 OC/16.0.4849.1000\r\n"
    "Ms-Conversation-ID: AdV1eJ3fGkX5+oq0S1yYs7lT2o3pQw==\r\n"
    "Supported: ms-text-format\r\n"
    "Content-Type: text/plain; charset=UTF-8\r\n"
    "Content-Length: 28\r\n"
    "\r\n"
    "Hello Bob, lunch at noon? :)";

const std::string kOk =
    "SIP/2.0 200 OK\r\n"
    "Via: SIP/2.0/TLS 198.51.100.20:5061;branch=z9hG4bK77e0a1b2;received=198.51.100.20\r\n"
    "From: <sip:u17@partner.example>;tag=9d8c7b6a;epid=5d1e0c9b7a\r\n"
    "To: <sip:user17@home.example>;tag=8a7b6c5d\r\n"
    "Call-ID: 0f1e2d3c4b5a69788796a5b4c3d2e1f0\r\n"
    "CSeq: 12 NOTIFY\r\n"
    "Server: fedgate\r\n"
    "Content-Length: 0\r\n"
    "\r\n";

// What the load generator's partner sends in phase a: msrtc_body_for as it calls it.
std::string load_msrtc_body() {
  MsrtcStateForm form;
  form.availability = 6500;
  form.note = "a.000017 note";
  form.publish_time = std::chrono::system_clock::now();
  auto entity = fedgate::presence::Address::parse("u17@partner.example").value();
  return msrtc_body_for(entity, form).bytes;
}

std::string load_notify() {
  const std::string body = load_msrtc_body();
  return "NOTIFY sip:user17@192.0.2.10:5061;transport=tls SIP/2.0\r\n"
         "Via: SIP/2.0/TLS 198.51.100.20:5061;branch=z9hG4bK77e0a1b2;ms-received-port=5061\r\n"
         "Max-Forwards: 70\r\n"
         "From: <sip:u17@partner.example>;tag=9d8c7b6a;epid=5d1e0c9b7a\r\n"
         "To: <sip:user17@home.example>;tag=8a7b6c5d\r\n"
         "Call-ID: 0f1e2d3c4b5a69788796a5b4c3d2e1f0\r\n"
         "CSeq: 12 NOTIFY\r\n"
         "Contact: <sip:partner.example:5061;transport=tls>\r\n"
         "Event: presence\r\n"
         "Subscription-State: active;expires=3599\r\n"
         "Content-Type: application/msrtc-event-categories+xml\r\n"
         "Content-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body;
}

const std::string kNotify = load_notify();
const std::string kMsrtcBody = load_msrtc_body();

void count_allocs(benchmark::State& state, std::uint64_t before) {
  state.counters["allocs"] = benchmark::Counter(
      static_cast<double>(g_allocs.load() - before) / static_cast<double>(state.iterations()));
  state.SetItemsProcessed(state.iterations());
}

void parse_only(benchmark::State& state, const std::string& bytes) {
  const std::uint64_t before = g_allocs.load();
  for (auto _ : state) {
    auto m = parse_message(bytes);
    benchmark::DoNotOptimize(m);
  }
  count_allocs(state, before);
}

void serialize_only(benchmark::State& state, const std::string& bytes) {
  const Message m = parse_message(bytes).value();
  const std::uint64_t before = g_allocs.load();
  for (auto _ : state) {
    std::string out = serialize(m);
    benchmark::DoNotOptimize(out.data());
  }
  count_allocs(state, before);
}

void BM_ParseSessionMessage(benchmark::State& s) { parse_only(s, kMessage); }
void BM_ParseLoadNotify(benchmark::State& s) { parse_only(s, kNotify); }
void BM_Parse200Ok(benchmark::State& s) { parse_only(s, kOk); }
void BM_SerializeLoadNotify(benchmark::State& s) { serialize_only(s, kNotify); }
void BM_Serialize200Ok(benchmark::State& s) { serialize_only(s, kOk); }

void BM_ParseMsrtcCategories(benchmark::State& state) {
  const std::uint64_t before = g_allocs.load();
  for (auto _ : state) {
    auto doc = parse_msrtc_categories(kMsrtcBody);
    benchmark::DoNotOptimize(doc);
  }
  count_allocs(state, before);
}

void BM_PresenceFromMsrtc(benchmark::State& state) {
  const auto entity = fedgate::presence::Address::parse("u17@partner.example").value();
  const std::uint64_t before = g_allocs.load();
  for (auto _ : state) {
    auto doc = presence_from_msrtc(kMsrtcBody, entity);
    benchmark::DoNotOptimize(doc);
  }
  count_allocs(state, before);
}

void BM_ParsePidf(benchmark::State& state) {
  fedgate::presence::Presence p;
  p.entity = fedgate::presence::Address::parse("u17@partner.example").value();
  p.availability = fedgate::presence::Availability::away;
  p.status_text = "out for lunch";
  const std::string body = pidf_body_for(p).bytes;
  const std::uint64_t before = g_allocs.load();
  for (auto _ : state) {
    auto doc = parse_pidf(body);
    benchmark::DoNotOptimize(doc);
  }
  count_allocs(state, before);
}

// Parse and serialize back into one reused buffer (a proxy hop).
void BM_ParseSerializeLoadNotify(benchmark::State& state) {
  std::string out;
  const std::uint64_t before = g_allocs.load();
  for (auto _ : state) {
    auto m = parse_message(kNotify);
    out.clear();
    std::visit([&out](const auto& v) { serialize_to(out, v); }, m.value());
    benchmark::DoNotOptimize(out.data());
  }
  count_allocs(state, before);
}

BENCHMARK(BM_ParseSessionMessage);
BENCHMARK(BM_ParseLoadNotify);
BENCHMARK(BM_Parse200Ok);
BENCHMARK(BM_SerializeLoadNotify);
BENCHMARK(BM_Serialize200Ok);
BENCHMARK(BM_ParseMsrtcCategories);
BENCHMARK(BM_PresenceFromMsrtc);
BENCHMARK(BM_ParsePidf);
BENCHMARK(BM_ParseSerializeLoadNotify);

}  // namespace

BENCHMARK_MAIN();
