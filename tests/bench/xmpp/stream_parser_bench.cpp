// Stream parsing throughput (MB/s, stanzas/s) on typical presence/message traffic, expat
// alone on the same bytes as the baseline, and the memory an idle parser holds.
#include <benchmark/benchmark.h>
#include <expat.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <vector>

#include "tests/bench/xmpp/traffic.hpp"
#include "xmpp/codec/stream_parser.hpp"

namespace {

using namespace fedgate::xmpp;

constexpr std::size_t kRead = 16 * 1024;  // one TLS record's worth per read

const bench::Traffic& traffic() {
  static const bench::Traffic t = bench::make_traffic(4 * 1024 * 1024);
  return t;
}

void BM_StreamParser(benchmark::State& state) {
  const auto& t = traffic();
  std::size_t elements = 0;
  for (auto _ : state) {
    StreamParser parser;
    parser.feed(bench::kHeader);
    while (parser.next()) {
    }
    for (std::size_t i = 0; i < t.bytes.size(); i += kRead) {
      parser.feed(std::string_view(t.bytes).substr(i, kRead));
      while (auto e = parser.next()) {
        elements += std::holds_alternative<Element>(*e) ? 1 : 0;
        benchmark::DoNotOptimize(*e);
      }
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * t.bytes.size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(elements));
}
BENCHMARK(BM_StreamParser)->Unit(benchmark::kMillisecond);

void BM_ExpatAlone(benchmark::State& state) {  // the same bytes, no-op handlers
  const auto& t = traffic();
  for (auto _ : state) {
    XML_Parser p = XML_ParserCreateNS("UTF-8", ' ');
    XML_SetElementHandler(
        p, [](void*, const XML_Char*, const XML_Char**) {}, [](void*, const XML_Char*) {});
    XML_SetCharacterDataHandler(p, [](void*, const XML_Char*, int) {});
    XML_SetReparseDeferralEnabled(p, XML_FALSE);
    XML_Parse(p, bench::kHeader, static_cast<int>(std::strlen(bench::kHeader)), XML_FALSE);
    for (std::size_t i = 0; i < t.bytes.size(); i += kRead) {
      const std::size_t n = std::min(kRead, t.bytes.size() - i);
      XML_Parse(p, t.bytes.data() + i, static_cast<int>(n), XML_FALSE);
    }
    XML_ParserFree(p);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * t.bytes.size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * t.stanzas));
}
BENCHMARK(BM_ExpatAlone)->Unit(benchmark::kMillisecond);

// Memory of idle parsers: each has parsed a header and then up to range(0) bytes of traffic
// in one read (expat keeps a buffer as large as the largest read), then sits waiting; with
// range(1) = 1 it has hibernated (StreamParser::hibernate) before waiting.
void BM_IdleParserMemory(benchmark::State& state) {
  constexpr int kParsers = 1000;
  // Whole stanzas only (up to range(0) bytes): the parser then sits between two stanzas.
  const std::string& bytes = traffic().bytes;
  const auto cut = bytes.rfind("</iq> ", static_cast<std::size_t>(state.range(0)));
  const std::string some = cut == std::string::npos ? std::string() : bytes.substr(0, cut + 6);
  for (auto _ : state) {
    const std::size_t before = StreamParser::expat_bytes_in_use();
    std::vector<std::unique_ptr<StreamParser>> parsers;
    std::size_t retained = 0;
    for (int i = 0; i < kParsers; ++i) {
      auto p = std::make_unique<StreamParser>();
      p->feed(std::string(bench::kHeader) + some);
      while (p->next()) {
      }
      if (state.range(1) != 0) {
        p->hibernate();
      }
      retained += p->retained_bytes() + sizeof(StreamParser);
      parsers.push_back(std::move(p));
    }
    const double expat = static_cast<double>(StreamParser::expat_bytes_in_use() - before);
    state.counters["expat_bytes_per_parser"] = expat / kParsers;
    state.counters["own_bytes_per_parser"] = static_cast<double>(retained) / kParsers;
  }
}
BENCHMARK(BM_IdleParserMemory)
    ->ArgNames({"read", "hibernated"})
    ->Args({0, 0})
    ->Args({2048, 0})
    ->Args({16384, 0})
    ->Args({16384, 1})
    ->Iterations(3)
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
