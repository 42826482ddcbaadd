// Stream parsing throughput (stanzas/s, and bytes/s: Google Benchmark prints MiB/s as "M/s") on
// typical presence/message traffic, with the heap allocations per stanza; expat alone on the same
// bytes as the baseline (and as StreamParser drives it: the ceiling of any assembly), the bound
// an arena-built element tree would reach, and the memory an idle parser holds.
#include <benchmark/benchmark.h>
#include <expat.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <memory_resource>
#include <new>
#include <optional>
#include <string_view>
#include <vector>

#include "tests/bench/xmpp/traffic.hpp"
#include "xmpp/codec/expat_memory.hpp"
#include "xmpp/codec/stream_parser.hpp"

namespace {

// Heap allocations made through operator new on this thread (see the replacements at the end).
thread_local std::size_t t_allocations = 0;

using namespace fedgate::xmpp;

constexpr std::size_t kRead = 16 * 1024;  // one TLS record's worth per read

const bench::Traffic& traffic() {
  static const bench::Traffic t = bench::make_traffic(4 * 1024 * 1024);
  return t;
}

void BM_StreamParser(benchmark::State& state) {
  const auto& t = traffic();
  std::size_t elements = 0;
  const std::size_t allocations_before = t_allocations;
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
  state.counters["allocations_per_stanza"] =
      static_cast<double>(t_allocations - allocations_before) / static_cast<double>(elements);
}
BENCHMARK(BM_StreamParser)->Unit(benchmark::kMillisecond);

// Expat as StreamParser drives it (the counting allocator, no namespace processing, reparse
// deferral off, a pause after each top-level element and a resume), with no-op handlers: what
// StreamParser would reach if assembling elements and checking them cost nothing.
struct DrivenExpat {
  XML_Parser parser = XML_ParserCreate_MM("UTF-8", &counting_memory_suite(), nullptr);
  int depth = 0;
  DrivenExpat() {
    XML_SetUserData(parser, this);
    XML_SetElementHandler(
        parser, [](void* ud, const XML_Char*, const XML_Char**) { ++self(ud).depth; },
        [](void* ud, const XML_Char*) {
          if (--self(ud).depth == 1) {  // a top-level element ended: one event per run
            XML_StopParser(self(ud).parser, XML_TRUE);
          }
        });
    XML_SetCharacterDataHandler(parser, [](void*, const XML_Char*, int) {});
    XML_SetReparseDeferralEnabled(parser, XML_FALSE);
  }
  ~DrivenExpat() { XML_ParserFree(parser); }
  DrivenExpat(const DrivenExpat&) = delete;
  DrivenExpat& operator=(const DrivenExpat&) = delete;
  static DrivenExpat& self(void* ud) { return *static_cast<DrivenExpat*>(ud); }
  void parse(const char* data, std::size_t n) {
    auto status = XML_Parse(parser, data, static_cast<int>(n), XML_FALSE);
    while (status == XML_STATUS_SUSPENDED) {
      status = XML_ResumeParser(parser);
    }
  }
};

void BM_ExpatAsDriven(benchmark::State& state) {
  const auto& t = traffic();
  for (auto _ : state) {
    DrivenExpat expat;
    expat.parse(bench::kHeader, std::strlen(bench::kHeader));
    for (std::size_t i = 0; i < t.bytes.size(); i += kRead) {
      expat.parse(t.bytes.data() + i, std::min(kRead, t.bytes.size() - i));
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * t.bytes.size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * t.stanzas));
}
BENCHMARK(BM_ExpatAsDriven)->Unit(benchmark::kMillisecond);

// Expat alone on the same bytes with no-op handlers, configured as StreamParser configures it
// (no namespace processing: StreamParser resolves namespaces itself); range(0) = 1 turns
// expat's namespace processing on, as StreamParser used it before.
void BM_ExpatAlone(benchmark::State& state) {
  const auto& t = traffic();
  for (auto _ : state) {
    XML_Parser p =
        state.range(0) != 0 ? XML_ParserCreateNS("UTF-8", ' ') : XML_ParserCreate("UTF-8");
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
BENCHMARK(BM_ExpatAlone)->ArgName("ns")->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

// What assembly would cost if an element tree lived in one arena per stanza (names, values
// and text copied into it, no per-field heap allocation; pmr containers), for comparison with
// BM_StreamParser, whose Element owns std::string fields. Not a parser: no limits, no checks.
struct ArenaNode {
  std::string_view name, ns;
  std::pmr::vector<std::pair<std::string_view, std::string_view>> attributes;
  std::pmr::vector<ArenaNode*> children;
  std::pmr::string text;
  explicit ArenaNode(std::pmr::memory_resource* r) : attributes(r), children(r), text(r) {}
};

struct ArenaBuilder {
  std::pmr::unsynchronized_pool_resource upstream;  // keeps the arena's blocks between stanzas
  std::optional<std::pmr::monotonic_buffer_resource> arena;
  std::vector<ArenaNode*> open;
  int depth = 0;
  std::size_t stanzas = 0;

  std::string_view copy(const char* p, std::size_t n) {
    auto* d = static_cast<char*>(arena->allocate(n, 1));
    std::memcpy(d, p, n);
    return {d, n};
  }
  // Names and namespaces are referenced, not copied, when they are the parent's namespace or
  // in a small table of the XMPP vocabulary.
  std::string_view intern(const char* p, std::size_t n, std::string_view parent_ns) {
    static constexpr std::string_view kVocabulary[] = {
        "message", "presence", "iq", "body", "show", "status",        "priority",
        "c",       "from",     "to", "type", "id",   "jabber:server", "jabber:client"};
    const std::string_view s(p, n);
    if (s == parent_ns) {
      return parent_ns;
    }
    for (std::string_view v : kVocabulary) {
      if (v == s) {
        return v;
      }
    }
    return copy(p, n);
  }
  void start(const char* qname, const char** atts) {
    if (depth++ == 0) {
      return;
    }
    if (depth == 2) {
      arena.emplace(4096, &upstream);
    }
    auto* r = &*arena;
    auto* node = new (r->allocate(sizeof(ArenaNode), alignof(ArenaNode))) ArenaNode(r);
    // Expat without namespace processing, as StreamParser runs it: the namespace is the
    // element's own xmlns or its parent's (the traffic has no prefixed names).
    node->ns = open.empty() ? std::string_view("jabber:server") : open.back()->ns;
    node->name = intern(qname, std::strlen(qname), {});
    std::size_t n = 0;
    while (atts[2 * n] != nullptr) {
      ++n;
    }
    node->attributes.reserve(n);
    for (const char** a = atts; *a != nullptr; a += 2) {
      if (std::strcmp(a[0], "xmlns") == 0) {
        node->ns = intern(a[1], std::strlen(a[1]), node->ns);
        continue;
      }
      node->attributes.emplace_back(intern(a[0], std::strlen(a[0]), {}),
                                    copy(a[1], std::strlen(a[1])));
    }
    if (!open.empty()) {
      open.back()->children.push_back(node);
    }
    open.push_back(node);
  }
  void end() {
    if (--depth == 0) {
      return;
    }
    open.pop_back();
    stanzas += depth == 1 ? 1 : 0;
  }
};

void BM_ExpatArenaAssembly(benchmark::State& state) {
  const auto& t = traffic();
  std::size_t stanzas = 0;
  for (auto _ : state) {
    ArenaBuilder b;
    XML_Parser p = XML_ParserCreate("UTF-8");
    XML_SetUserData(p, &b);
    XML_SetElementHandler(
        p,
        [](void* ud, const XML_Char* n, const XML_Char** a) {
          static_cast<ArenaBuilder*>(ud)->start(n, a);
        },
        [](void* ud, const XML_Char*) { static_cast<ArenaBuilder*>(ud)->end(); });
    XML_SetCharacterDataHandler(p, [](void* ud, const XML_Char* s, int len) {
      auto& b = *static_cast<ArenaBuilder*>(ud);
      if (b.depth > 1) {
        b.open.back()->text.append(s, static_cast<std::size_t>(len));
      }
    });
    XML_SetReparseDeferralEnabled(p, XML_FALSE);
    XML_Parse(p, bench::kHeader, static_cast<int>(std::strlen(bench::kHeader)), XML_FALSE);
    for (std::size_t i = 0; i < t.bytes.size(); i += kRead) {
      const std::size_t n = std::min(kRead, t.bytes.size() - i);
      XML_Parse(p, t.bytes.data() + i, static_cast<int>(n), XML_FALSE);
    }
    XML_ParserFree(p);
    stanzas += b.stanzas;
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * t.bytes.size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(stanzas));
}
BENCHMARK(BM_ExpatArenaAssembly)->Unit(benchmark::kMillisecond);

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

// Counting replacements of the global allocation functions (the others forward to these). GCC
// 12 warns when it inlines a replacement pair of operator new and free(): they do match here.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
void* operator new(std::size_t n) {
  ++t_allocations;
  if (void* p = std::malloc(n == 0 ? 1 : n)) {
    return p;
  }
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

BENCHMARK_MAIN();
