// Parse + serialize throughput of sip_codec for a typical ~600-byte session-mode MESSAGE and
// a typical presence NOTIFY (issue 4 target: >= 300,000 MESSAGE parses/s on one core).
#include <benchmark/benchmark.h>

#include <string>

#include "sip/codec/parser.hpp"
#include "sip/codec/serializer.hpp"

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

const std::string kNotify =
    "NOTIFY sip:alice@192.0.2.10:49152;transport=tls;ms-opaque=d3470f2e1d SIP/2.0\r\n"
    "Via: SIP/2.0/TLS 198.51.100.20:5061;branch=z9hG4bK77e0a1b2;ms-internal-info=\"ah1\"\r\n"
    "Max-Forwards: 70\r\n"
    "From: <sip:bob@contoso.com>;tag=9d8c7b6a\r\n"
    "To: <sip:alice@fabrikam.com>;tag=8a7b6c5d;epid=3c9e1f02a4\r\n"
    "Call-ID: 0f1e2d3c4b5a69788796a5b4c3d2e1f0\r\n"
    "CSeq: 12 NOTIFY\r\n"
    "Contact: <sip:pool.contoso.com:5061;transport=tls>\r\n"
    "Event: presence\r\n"
    "Subscription-State: active;expires=3599\r\n"
    "Content-Type: application/msrtc-event-categories+xml\r\n"
    "Content-Length: 387\r\n"
    "\r\n"
    "<categories xmlns=\"http://schemas.microsoft.com/2006/09/sip/categories\" "
    "uri=\"sip:bob@contoso.com\"><category name=\"state\" instance=\"0\" publishTime="
    "\"2024-05-01T09:30:00.000Z\"><state xmlns=\"http://schemas.microsoft.com/2006/09/sip/state"
    "\" manual=\"false\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type="
    "\"aggregateState\"><availability>3500</availability></state></category></categories>";

void parse_only(benchmark::State& state, const std::string& bytes) {
  for (auto _ : state) {
    auto m = parse_message(bytes);
    benchmark::DoNotOptimize(m);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes.size()));
}

void parse_and_serialize(benchmark::State& state, const std::string& bytes) {
  std::string out;
  for (auto _ : state) {
    auto m = parse_message(bytes);
    out.clear();
    std::visit([&out](const auto& v) { serialize_to(out, v); }, m.value());
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_ParseMessage(benchmark::State& s) { parse_only(s, kMessage); }
void BM_ParseSerializeMessage(benchmark::State& s) { parse_and_serialize(s, kMessage); }
void BM_ParseNotify(benchmark::State& s) { parse_only(s, kNotify); }
void BM_ParseSerializeNotify(benchmark::State& s) { parse_and_serialize(s, kNotify); }

BENCHMARK(BM_ParseMessage);
BENCHMARK(BM_ParseSerializeMessage);
BENCHMARK(BM_ParseNotify);
BENCHMARK(BM_ParseSerializeNotify);

}  // namespace

BENCHMARK_MAIN();
