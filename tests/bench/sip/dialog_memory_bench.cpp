// Memory per idle subscription dialog (issue 4 target: at most 500 bytes): N Lync-dialect
// presence subscriptions are set up in both roles (Subscriber after its 200 OK, Notifier
// after accepting a SUBSCRIBE) and left idle; the counter is the live heap (glibc mallinfo2
// uordblks, malloc overhead included) plus the objects themselves, divided by N. Also the
// size of the persisted form (serialize()) and its restore time.
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <malloc.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "sip/codec/parser.hpp"
#include "sip/dialog/notifier.hpp"
#include "sip/dialog/subscriber.hpp"

namespace fedgate::sip {
namespace {

// Realistic sizes: 32-hex Call-IDs and tags, an epid, a GRUU-style remote target and one
// Record-Route with an ms-route-sig, as a Lync Edge sends them.
std::string subscribe_text(int i) {
  return fmt::format(
      "SUBSCRIBE sip:alice{0}@corp.example SIP/2.0\r\n"
      "Via: SIP/2.0/TLS 192.0.2.10:5061;branch=z9hG4bK{0:08x}\r\n"
      "From: <sip:bob{0}@contoso.com>;tag=9c4ef27513d24eb9be7814{0:010x};epid=62ccbeb808\r\n"
      "To: <sip:alice{0}@corp.example>\r\nCall-ID: 91c6c88de3c04d5180d9a2{0:010x}\r\n"
      "CSeq: 1 SUBSCRIBE\r\n"
      "Contact: <sip:bob{0}@contoso.com;opaque=user:epid:Xk3W{0:06x}AAA;gruu>\r\n"
      "Record-Route: <sip:edge.contoso.com:5061;transport=tls;ms-fe=fe1.contoso.com;lr;"
      "ms-route-sig=aaQ1bRzq{0:08x}>\r\n"
      "Event: presence\r\nExpires: 3600\r\nSupported: ms-benotify, ms-piggyback-first-notify\r\n"
      "Accept: application/msrtc-event-categories+xml, application/pidf+xml\r\n"
      "Content-Length: 0\r\n\r\n",
      i);
}

std::string ok_text(const Request& subscribe, int i) {
  return fmt::format(
      "SIP/2.0 200 OK\r\nVia: {0}\r\nFrom: {1}\r\nTo: {2};tag=A53585F7{3:08x}\r\n"
      "Call-ID: {4}\r\nCSeq: 1 SUBSCRIBE\r\n"
      "Contact: <sip:bob{3}@contoso.com;opaque=user:epid:Xk3W{3:06x}AAA;gruu>\r\n"
      "Record-Route: <sip:edge.contoso.com:5061;transport=tls;lr;ms-route-sig=aaQ1b{3:08x}>\r\n"
      "Expires: 3600\r\nContent-Length: 0\r\n\r\n",
      subscribe.via.front().str(), subscribe.from.str(), subscribe.to.str(), i, subscribe.call_id);
}

LocalEndpoint gateway() {
  return {Via::parse("SIP/2.0/TLS fedgate.corp.example:5061").value(),
          NameAddr::parse("<sip:fedgate.corp.example:5061;transport=tls>").value()};
}

SubscribeParams params_for(int i) {
  SubscribeParams p;
  p.target = Uri::parse(fmt::format("sip:bob{}@contoso.com", i)).value();
  p.from =
      NameAddr::parse(fmt::format("<sip:alice{0}@corp.example>;tag=3c1d{0:028x};epid=01010101", i))
          .value();
  p.to = NameAddr::parse(fmt::format("<sip:bob{}@contoso.com>", i)).value();
  p.call_id = fmt::format("{:032x}@fedgate.corp.example", i);
  p.event = EventHeader{"presence", {}};
  p.accept = {"application/msrtc-event-categories+xml", "application/pidf+xml"};
  p.supported = {"ms-benotify", "ms-piggyback-first-notify"};
  p.local = gateway();
  return p;
}

Subscriber idle_subscriber(int i, BranchGenerator& branches) {
  Subscriber s{params_for(i)};
  const Request subscribe = s.start(branches);
  Response ok = parse_response(ok_text(subscribe, i)).value();
  ok.via = subscribe.via;
  (void)s.on_response(ok, TimePoint{});
  s.compact();  // idle: the owner compacts what has been quiet (the agent's sweep)
  return s;
}

Notifier idle_notifier(int i) {
  const Request subscribe = parse_request(subscribe_text(i)).value();
  Notifier n =
      Notifier::create(subscribe, fmt::format("{:032x}", i), gateway(), 3600, TimePoint{}).value();
  (void)n.accept(subscribe, SubState::active, std::nullopt);
  n.compact();
  return n;
}

template <class Make>
double bytes_per_object(int n, Make make) {
  using T = decltype(make(0));
  malloc_trim(0);
  const auto live = [] { return mallinfo2().uordblks + mallinfo2().hblkhd; };  // incl. mmap
  const std::size_t before = live();
  std::vector<T> kept;
  kept.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    kept.push_back(make(i));
  }
  const std::size_t after = live();
  benchmark::DoNotOptimize(kept.data());
  return static_cast<double>(after - before) / n;
}

void BM_IdleSubscriberMemory(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  BranchGenerator branches{7};
  for (auto _ : state) {
    state.counters["bytes_per_dialog"] =
        bytes_per_object(n, [&](int i) { return idle_subscriber(i, branches); });
  }
  state.counters["sizeof"] = sizeof(Subscriber);
  const std::string persisted =
      idle_subscriber(1, branches).serialize(TimePoint{}, std::chrono::system_clock::now());
  state.counters["persisted_bytes"] = static_cast<double>(persisted.size());
  if (std::getenv("FEDGATE_BENCH_SHOW") != nullptr) {
    std::fputs(persisted.c_str(), stderr);
  }
}
BENCHMARK(BM_IdleSubscriberMemory)->Arg(10000)->Iterations(1)->Unit(benchmark::kMillisecond);

void BM_IdleNotifierMemory(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  for (auto _ : state) {
    state.counters["bytes_per_dialog"] = bytes_per_object(n, idle_notifier);
  }
  state.counters["sizeof"] = sizeof(Notifier);
  const std::string persisted =
      idle_notifier(1).serialize(TimePoint{}, std::chrono::system_clock::now());
  state.counters["persisted_bytes"] = static_cast<double>(persisted.size());
  if (std::getenv("FEDGATE_BENCH_SHOW") != nullptr) {
    std::fputs(persisted.c_str(), stderr);
  }
}
BENCHMARK(BM_IdleNotifierMemory)->Arg(10000)->Iterations(1)->Unit(benchmark::kMillisecond);

// The price of the compact idle form: one NOTIFY handled by an idle subscriber (decode the
// dialog, check and answer the NOTIFY, encode the dialog again).
Request notify_for(const Subscriber& s) {
  Request n;
  n.method = Method::notify;
  n.request_uri = s.dialog().local().uri;
  n.via.push_back(Via::parse("SIP/2.0/TLS 192.0.2.10:5061;branch=z9hG4bKbench").value());
  n.from = s.dialog().remote();
  n.to = s.dialog().local();
  n.call_id = s.dialog().id().call_id;
  n.cseq = CSeq{2, Method::notify, {}};
  n.contact.push_back(NameAddr::parse("<sip:bob1@contoso.com;gruu>").value());
  n.event = EventHeader{"presence", {}};
  n.subscription_state = SubscriptionState{"active", {{"expires", "3000"}}};
  n.content_type = MediaType::parse("application/msrtc-event-categories+xml").value();
  n.body = "<categories/>";
  s.compact();
  return n;
}

// A NOTIFY on a subscriber kept decoded (0) or compacted after each one (1: every NOTIFY
// finds it idle, as after the agent's sweep).
void BM_IdleSubscriberNotify(benchmark::State& state) {
  BranchGenerator branches{7};
  Subscriber s = idle_subscriber(1, branches);
  Request n = notify_for(s);
  const bool compact_each = state.range(0) != 0;
  for (auto _ : state) {
    auto a = s.on_notify(n, TimePoint{});
    benchmark::DoNotOptimize(a);
    if (compact_each) {
      s.compact();
    }
    ++n.cseq.sequence;
  }
}
BENCHMARK(BM_IdleSubscriberNotify)->Arg(0)->Arg(1);

void BM_SubscriberRestore(benchmark::State& state) {
  BranchGenerator branches{7};
  const auto wall = std::chrono::system_clock::now();
  const std::string record = idle_subscriber(1, branches).serialize(TimePoint{}, wall);
  for (auto _ : state) {
    auto s = Subscriber::restore(record, params_for(1), TimePoint{}, wall);
    benchmark::DoNotOptimize(s);
  }
}
BENCHMARK(BM_SubscriberRestore);

}  // namespace
}  // namespace fedgate::sip

BENCHMARK_MAIN();
