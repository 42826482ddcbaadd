// Store benchmarks (issue 5 target: restore 100,000 subscriptions at start-up in under 5 s),
// plus the latency of the IM durability point (one outbox INSERT) and of a subscription save.
#include <benchmark/benchmark.h>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <pqxx/pqxx>
#include <thread>

#include "gateway/store/policy_watcher.hpp"

#include "gateway/store/pg_outbox.hpp"
#include "gateway/store/pg_subscription_store.hpp"
#include "tests/support/pg/test_postgres.hpp"

namespace fedgate::gateway {
namespace {

constexpr int kSubscriptions = 100'000;

// One database per process with kSubscriptions rows shaped like real bridged subscriptions.
const std::string& seeded_database() {
  static const std::string conninfo = [] {
    auto db = test::TestPostgres::isolated().create_database();
    test::exec_sql(db,
                   "INSERT INTO subscriptions (watcher, presentity, state, watcher_is_local, "
                   "expires_at, sip_dialog) "
                   "SELECT 'user' || i || '@corp.example', 'contact' || i || '@partner.example', "
                   "'active', i % 2 = 0, now() + interval '1 hour', "
                   "'call-id=' || md5(i::text) || '@gw.corp.example;local-tag=' || "
                   "left(md5(i::text || 'l'), 10) || ';remote-tag=' || left(md5(i::text || 'r'), "
                   "10) || ';cseq=1;route=<sip:edge.partner.example:5061;transport=tls;lr>' "
                   "FROM generate_series(1, " + std::to_string(kSubscriptions) + ") AS i;"
                   "ANALYZE subscriptions");
    return db;
  }();
  return conninfo;
}

// A restarted node: new pool, new connection, every subscription back as values.
void BM_RestoreSubscriptions(benchmark::State& state) {
  const auto& db = seeded_database();
  MetricsRegistry metrics;
  for (auto _ : state) {
    DbPool pool{db, 1, Logger{}, metrics};
    auto rows = PgSubscriptionStore{pool}.load_all();
    if (!rows || rows.value().size() != kSubscriptions) {
      state.SkipWithError("restore failed");
      break;
    }
    benchmark::DoNotOptimize(rows.value().data());
  }
  state.counters["subscriptions/s"] = benchmark::Counter(
      static_cast<double>(kSubscriptions) * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate);
}
BENCHMARK(BM_RestoreSubscriptions)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(5);

void BM_SaveSubscription(benchmark::State& state) {
  MetricsRegistry metrics;
  DbPool pool{seeded_database(), 1, Logger{}, metrics};
  PgSubscriptionStore store{pool};
  presence::Subscription s;
  s.watcher = presence::Address::parse("bench@corp.example").value();
  s.state = presence::SubscriptionState::active;
  s.sip_dialog = "call-id=bench";
  std::int64_t i = 0;
  for (auto _ : state) {
    s.presentity = presence::Address::parse("c" + std::to_string(i++) + "@p.example").value();
    benchmark::DoNotOptimize(store.save(s));
  }
}
BENCHMARK(BM_SaveSubscription)->Unit(benchmark::kMicrosecond)->UseRealTime();

// The IM durability point: accept() commits one INSERT before the sender hears "accepted".
void BM_OutboxAccept(benchmark::State& state) {
  MetricsRegistry metrics;
  DbPool pool{seeded_database(), 1, Logger{}, metrics};
  PgOutbox outbox{pool, "bench"};
  presence::OutboundMessage m;
  m.from = presence::Address::parse("alice@corp.example/laptop").value();
  m.to = presence::Address::parse("bob@partner.example").value();
  m.content.body = std::string(120, 'x');
  for (auto _ : state) {
    benchmark::DoNotOptimize(outbox.accept(m));
  }
}
BENCHMARK(BM_OutboxAccept)->Unit(benchmark::kMicrosecond)->UseRealTime();

// Issue 2 "Live policy": from COMMIT of a policy change to the new snapshot being live on two
// watchers (two nodes' PolicyWatchers on separate connections), default coalescing window.
void BM_PolicyCommitToLiveOnTwoNodes(benchmark::State& state) {
  namespace asio = boost::asio;
  const auto& db = seeded_database();
  asio::io_context io;
  MetricsRegistry metrics;
  PolicyWatcher a{io.get_executor(), db, nullptr, Logger{}, metrics};
  PolicyWatcher b{io.get_executor(), db, nullptr, Logger{}, metrics};
  asio::cancellation_signal stop_a;
  asio::cancellation_signal stop_b;
  asio::co_spawn(io, a.run(), asio::bind_cancellation_slot(stop_a.slot(), asio::detached));
  asio::co_spawn(io, b.run(), asio::bind_cancellation_slot(stop_b.slot(), asio::detached));
  std::thread runner{[&] { io.run(); }};
  while (a.version() == 0 || b.version() == 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  pqxx::connection admin{db};
  std::int64_t n = 0;
  for (auto _ : state) {
    pqxx::work tx{admin};
    tx.exec_params("INSERT INTO tls_peer_subjects (subject) VALUES ($1)",
                            "s" + std::to_string(n++) + ".example");
    auto version = tx.exec("SELECT version FROM policy_version")[0][0].as<std::int64_t>();
    tx.commit();
    for (auto end = Clock::now() + seconds(10);
         (a.version() != version || b.version() != version) && Clock::now() < end;) {
      std::this_thread::sleep_for(std::chrono::microseconds(100));
    }
  }
  asio::post(io, [&] {
    stop_a.emit(asio::cancellation_type::terminal);
    stop_b.emit(asio::cancellation_type::terminal);
  });
  runner.join();
}
BENCHMARK(BM_PolicyCommitToLiveOnTwoNodes)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(50);

}  // namespace
}  // namespace fedgate::gateway

BENCHMARK_MAIN();
