// Contract tests of the in-memory port implementations (the PostgreSQL adapters in
// gateway/store follow the same contract).
#include <gtest/gtest.h>

#include "presence/in_memory_outbox.hpp"
#include "presence/in_memory_presence_cache_store.hpp"
#include "presence/in_memory_subscription_store.hpp"

namespace fedgate::presence {
namespace {

Address addr(const char* text) { return Address::parse(text).value(); }

TEST(InMemorySubscriptionStore, PairIsUniqueAndUpdatesInPlace) {
  InMemorySubscriptionStore store;
  Subscription s{0, addr("bob@partner.example"), addr("alice@corp.example")};
  auto id = store.save(s);
  ASSERT_TRUE(id.has_value());
  s.state = SubscriptionState::active;
  EXPECT_EQ(store.save(s).value(), id.value());  // same pair: same row
  s.id = id.value();
  s.sip_dialog = "call-id=1";
  ASSERT_TRUE(store.update(s).has_value());
  auto all = store.load_all().value();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].state, SubscriptionState::active);
  EXPECT_EQ(all[0].sip_dialog, "call-id=1");
  ASSERT_TRUE(store.remove(id.value()).has_value());
  EXPECT_EQ(store.update(s).error(), PortErrc::not_found);
}

TEST(InMemoryPresenceCacheStore, StaleDocumentDoesNotOverwrite) {
  InMemoryPresenceCacheStore cache;
  Presence newer{addr("bob@partner.example"), Availability::busy};
  newer.publish_time = WallTime{std::chrono::seconds{200}};
  Presence older = newer;
  older.availability = Availability::available;
  older.publish_time = WallTime{std::chrono::seconds{100}};
  EXPECT_TRUE(cache.put(newer).value());
  EXPECT_FALSE(cache.put(older).value());
  EXPECT_EQ(cache.get(newer.entity).value()->availability, Availability::busy);
}

TEST(InMemoryPresenceCacheStore, PutAllWritesEachAndCountsOnlyTheFreshOnes) {
  InMemoryPresenceCacheStore cache;
  Presence stored{addr("bob@partner.example"), Availability::busy};
  stored.publish_time = WallTime{std::chrono::seconds{200}};
  ASSERT_TRUE(cache.put(stored).value());
  Presence stale = stored;
  stale.availability = Availability::available;
  stale.publish_time = WallTime{std::chrono::seconds{100}};
  Presence fresh{addr("carol@partner.example"), Availability::away};
  EXPECT_EQ(cache.put_all({stale, fresh}).value(), 1u);
  EXPECT_EQ(cache.get(stored.entity).value()->availability, Availability::busy);
  EXPECT_EQ(cache.get(fresh.entity).value()->availability, Availability::away);
}

TEST(InMemoryOutbox, AcceptedUntilDeliveredOrBounced) {
  InMemoryOutbox outbox;
  OutboundMessage m;
  m.content.body = "hi";
  auto a = outbox.accept(m).value();
  auto b = outbox.accept(m).value();
  EXPECT_GT(a, 0);
  EXPECT_EQ(outbox.load_undelivered().value().size(), 2u);
  ASSERT_TRUE(outbox.mark_delivered(a).has_value());
  ASSERT_TRUE(outbox.mark_bounced(b, {ErrorCondition::remote_server_timeout, "t"}).has_value());
  EXPECT_TRUE(outbox.load_undelivered().value().empty());
  EXPECT_EQ(outbox.mark_delivered(99).error(), PortErrc::not_found);
}

}  // namespace
}  // namespace fedgate::presence
