// StanzaPipeline: concurrent hand-over in stream order, writes held until their stanzas are
// taken (XEP-0198 ack after commit), the in-flight bound, a failing handler.
#include "xmpp/transport/stanza_pipeline.hpp"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <functional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>


namespace fedgate::xmpp {
namespace {

namespace asio = boost::asio;

// Records every start; each stanza is held until the test releases its id.
class Gate final : public StanzaHandler {
 public:
  asio::awaitable<void> on_stanza(Element stanza) override {
    const std::string id(stanza.attr("id"));
    started.push_back(id);
    auto ex = co_await asio::this_coro::executor;
    asio::steady_timer timer(ex);
    for (int i = 0; i < 2000 && !released.contains(id); ++i) {  // bounded: 2000 x 1 ms
      timer.expires_after(std::chrono::milliseconds(1));
      co_await timer.async_wait(asio::use_awaitable);
    }
    if (id == failing) {
      throw std::runtime_error("handler failed");
    }
    taken.push_back(id);
  }
  std::vector<std::string> started;
  std::vector<std::string> taken;
  std::set<std::string> released;
  std::string failing;
};

Element stanza(int i) {
  Element e("message", "jabber:server");
  e.set("id", "m" + std::to_string(i));
  return e;
}

std::vector<std::string> ids(int from, int to) {
  std::vector<std::string> out;
  for (int i = from; i < to; ++i) {
    out.push_back("m" + std::to_string(i));
  }
  return out;
}

// Runs until `done()` (or 3 s).
bool settle(asio::io_context& io, const std::function<bool()>& done) {
  io.restart();
  const auto limit = Clock::now() + std::chrono::seconds(3);
  while (!done() && Clock::now() < limit) {
    io.run_for(std::chrono::milliseconds(2));
    io.restart();
  }
  return done();
}

struct Fixture {
  explicit Fixture(std::size_t limit = 512)
      : pipeline(StanzaPipeline::create(io.get_executor(), gate, limit)) {}
  void push(int from, int to) {
    for (int i = from; i < to; ++i) {
      pipeline->push(stanza(i));
    }
  }
  void release(int from, int to) {
    for (const auto& id : ids(from, to)) {
      gate.released.insert(id);
    }
  }
  asio::io_context io;
  Gate gate;
  std::shared_ptr<StanzaPipeline> pipeline;
};

// Takes the stanzas whose id starts with "now" at once; the others go through the Gate.
class Quick final : public StanzaHandler {
 public:
  asio::awaitable<void> on_stanza(Element stanza) override {
    return gate.on_stanza(std::move(stanza));
  }
  bool take_now(Element& stanza) override {
    if (!stanza.attr("id").starts_with("now")) {
      return false;
    }
    at_once.emplace_back(stanza.attr("id"));
    return true;
  }
  Gate gate;
  std::vector<std::string> at_once;
};

Element named(const std::string& id) {
  Element e("presence", "jabber:server");
  e.set("id", id);
  return e;
}

TEST(StanzaPipeline, AStanzaTakenAtOnceReleasesItsWriteWithoutAHandlerCall) {
  asio::io_context io;
  Quick quick;
  auto pipeline = StanzaPipeline::create(io.get_executor(), quick, 512);
  pipeline->push(named("now1"));
  pipeline->push_write("<a h='1'/>");
  EXPECT_EQ(pipeline->taken(), 1u);
  EXPECT_TRUE(pipeline->idle());
  EXPECT_TRUE(quick.gate.started.empty());
  std::string out;
  EXPECT_TRUE(pipeline->take_ready_writes(out));
  EXPECT_EQ(out, "<a h='1'/>");
}

TEST(StanzaPipeline, AStanzaTakenAtOnceIsNotAcknowledgedBeforeAnEarlierOne) {
  asio::io_context io;
  Quick quick;
  auto pipeline = StanzaPipeline::create(io.get_executor(), quick, 512);
  pipeline->push(named("slow"));
  pipeline->push(named("now1"));
  pipeline->push_write("<a h='2'/>");
  EXPECT_EQ(quick.at_once, std::vector<std::string>{"now1"});
  std::string out;
  EXPECT_FALSE(pipeline->take_ready_writes(out));
  EXPECT_EQ(pipeline->taken(), 0u);
  quick.gate.released.insert("slow");
  ASSERT_TRUE(settle(io, [&] { return pipeline->taken() == 2; }));
  EXPECT_TRUE(pipeline->take_ready_writes(out));
}

TEST(StanzaPipeline, EveryStanzaOfABatchIsHandedOverBeforeAnyCompletes) {
  Fixture f;
  f.push(0, 20);
  ASSERT_TRUE(settle(f.io, [&] { return f.gate.started.size() == 20; }));
  EXPECT_TRUE(f.gate.taken.empty());
  EXPECT_EQ(f.pipeline->in_flight(), 20u);
  f.release(0, 20);
  ASSERT_TRUE(settle(f.io, [&] { return f.pipeline->idle(); }));
  EXPECT_EQ(f.gate.taken.size(), 20u);
}

TEST(StanzaPipeline, HandlersStartInStreamOrder) {
  Fixture f;
  f.push(0, 50);
  ASSERT_TRUE(settle(f.io, [&] { return f.gate.started.size() == 50; }));
  EXPECT_EQ(f.gate.started, ids(0, 50));
  f.release(0, 50);
  ASSERT_TRUE(settle(f.io, [&] { return f.pipeline->idle(); }));
}

TEST(StanzaPipeline, AWriteWaitsForEveryStanzaBeforeIt) {
  Fixture f;
  f.push(0, 3);
  f.pipeline->push_write("<a h='3'/>");
  std::string out;
  EXPECT_FALSE(f.pipeline->take_ready_writes(out));
  f.release(1, 3);  // the first one is still held: its successors do not count
  ASSERT_TRUE(settle(f.io, [&] { return f.gate.taken.size() == 2; }));
  EXPECT_FALSE(f.pipeline->take_ready_writes(out));
  EXPECT_EQ(f.pipeline->taken(), 0u);
  f.release(0, 1);
  ASSERT_TRUE(settle(f.io, [&] { return f.pipeline->taken() == 3; }));
  EXPECT_TRUE(f.pipeline->take_ready_writes(out));
  EXPECT_EQ(out, "<a h='3'/>");
}

TEST(StanzaPipeline, ReadyWritesAreGatheredInOrder) {
  Fixture f;
  f.pipeline->push_write("one;");
  f.push(0, 1);
  f.pipeline->push_write("two;");
  f.push(1, 2);
  f.pipeline->push_write("three;");
  f.release(0, 1);
  ASSERT_TRUE(settle(f.io, [&] { return f.pipeline->taken() == 1; }));
  std::string out;
  EXPECT_TRUE(f.pipeline->take_ready_writes(out));
  EXPECT_EQ(out, "one;two;");  // "three;" waits for m1
}

TEST(StanzaPipeline, TheBoundHoldsStanzasBackAndStopsReading) {
  Fixture f(4);
  f.push(0, 10);
  ASSERT_TRUE(settle(f.io, [&] { return f.gate.started.size() == 4; }));
  EXPECT_FALSE(f.pipeline->can_read());
  EXPECT_EQ(f.pipeline->in_flight(), 4u);
  f.release(0, 2);
  ASSERT_TRUE(settle(f.io, [&] { return f.gate.started.size() == 6; }));
  EXPECT_EQ(f.pipeline->in_flight(), 4u);
  f.release(2, 10);
  ASSERT_TRUE(settle(f.io, [&] { return f.pipeline->idle(); }));
  EXPECT_EQ(f.gate.started, ids(0, 10));
  EXPECT_TRUE(f.pipeline->can_read());
}

TEST(StanzaPipeline, AFailingHandlerLosesNoOtherStanzaAndStopsTheAcknowledgement) {
  Fixture f;
  f.gate.failing = "m2";
  f.push(0, 6);
  f.pipeline->push_write("<a h='6'/>");
  f.release(0, 6);
  ASSERT_TRUE(settle(f.io, [&] { return f.pipeline->idle(); }));
  EXPECT_TRUE(f.pipeline->failed());
  EXPECT_EQ(f.gate.taken, (std::vector<std::string>{"m0", "m1", "m3", "m4", "m5"}));
  EXPECT_EQ(f.pipeline->taken(), 2u);  // the prefix before the failure
  std::string out;
  EXPECT_FALSE(f.pipeline->take_ready_writes(out));
}

// Takes batches: records each call's ids, holds it until `open`, then reports `ok` taken
// (all when negative).
class Batcher final : public StanzaHandler {
 public:
  asio::awaitable<void> on_stanza(Element) override { co_return; }
  bool takes_batches() const override { return true; }
  asio::awaitable<std::size_t> on_stanzas(std::vector<Element> stanzas) override {
    auto& call = calls.emplace_back();
    for (const auto& s : stanzas) {
      call.emplace_back(s.attr("id"));
    }
    const std::size_t index = calls.size() - 1;
    asio::steady_timer timer(co_await asio::this_coro::executor);
    for (int i = 0; i < 2000 && !open.contains(index); ++i) {  // bounded: 2000 x 1 ms
      timer.expires_after(std::chrono::milliseconds(1));
      co_await timer.async_wait(asio::use_awaitable);
    }
    co_return ok < 0 ? stanzas.size() : static_cast<std::size_t>(ok);
  }
  std::vector<std::vector<std::string>> calls;
  std::set<std::size_t> open;
  int ok = -1;
};

std::vector<Element> read_of(int from, int to) {
  std::vector<Element> out;
  for (int i = from; i < to; ++i) {
    out.push_back(stanza(i));
  }
  return out;
}

TEST(StanzaPipeline, ABatchingHandlerGetsTheStanzasOfOneReadInOneCall) {
  asio::io_context io;
  Batcher batcher;
  auto pipeline = StanzaPipeline::create(io.get_executor(), batcher, 512);
  auto first = read_of(0, 3), second = read_of(3, 5);
  pipeline->push(first);
  pipeline->push_write("<a h='3'/>");
  pipeline->push(second);
  ASSERT_TRUE(settle(io, [&] { return batcher.calls.size() == 2; }));
  EXPECT_EQ(batcher.calls[0], ids(0, 3));
  EXPECT_EQ(batcher.calls[1], ids(3, 5));
  std::string out;
  batcher.open.insert(1);  // the later batch completes first: no acknowledgement yet
  ASSERT_TRUE(settle(io, [&] { return pipeline->in_flight() == 3; }));
  EXPECT_FALSE(pipeline->take_ready_writes(out));
  batcher.open.insert(0);
  ASSERT_TRUE(settle(io, [&] { return pipeline->idle(); }));
  EXPECT_EQ(pipeline->taken(), 5u);
  EXPECT_TRUE(pipeline->take_ready_writes(out));
}

TEST(StanzaPipeline, ABatchTakenInPartFailsAfterItsPrefix) {
  asio::io_context io;
  Batcher batcher;
  batcher.ok = 2;
  batcher.open.insert(0);
  auto pipeline = StanzaPipeline::create(io.get_executor(), batcher, 512);
  auto read = read_of(0, 4);
  pipeline->push(read);
  pipeline->push_write("<a h='4'/>");
  ASSERT_TRUE(settle(io, [&] { return pipeline->idle(); }));
  EXPECT_TRUE(pipeline->failed());
  EXPECT_EQ(pipeline->taken(), 2u);
  std::string out;
  EXPECT_FALSE(pipeline->take_ready_writes(out));
}

TEST(StanzaPipeline, BatchesRespectTheBound) {
  asio::io_context io;
  Batcher batcher;
  auto pipeline = StanzaPipeline::create(io.get_executor(), batcher, 4);
  auto read = read_of(0, 10);
  pipeline->push(read);
  ASSERT_TRUE(settle(io, [&] { return batcher.calls.size() == 1; }));
  EXPECT_EQ(batcher.calls[0], ids(0, 4));
  EXPECT_FALSE(pipeline->can_read());
  batcher.open.insert({0, 1, 2});
  ASSERT_TRUE(settle(io, [&] { return pipeline->idle(); }));
  EXPECT_EQ(batcher.calls.size(), 3u);
  EXPECT_EQ(batcher.calls[2], ids(8, 10));
  EXPECT_EQ(pipeline->taken(), 10u);
}

}  // namespace
}  // namespace fedgate::xmpp
