// Aggregation of resources/endpoints into one availability, and publish-time ordering.
#include "presence/presence_aggregator.hpp"

#include <gtest/gtest.h>

namespace fedgate::presence {
namespace {

using std::chrono::seconds;

EndpointPresence ep(const char* id, Availability a, int priority = 0, int at = 0,
                    const char* status = "") {
  EndpointPresence e{id, a, status, priority};
  if (at != 0) {
    e.publish_time = WallTime{seconds{at}};
  }
  return e;
}

TEST(PresenceAggregator, MostAvailableEndpointWinsWithItsStatus) {
  Presence p;
  apply_endpoint(p, ep("phone", Availability::away, 0, 0, "On the move"));
  apply_endpoint(p, ep("desk", Availability::busy, 0, 0, "Coding"));
  EXPECT_EQ(p.availability, Availability::busy);
  EXPECT_EQ(p.status_text, "Coding");
  apply_endpoint(p, ep("desk", Availability::offline));  // resource went unavailable
  EXPECT_EQ(p.availability, Availability::away);
  EXPECT_EQ(p.endpoints.size(), 1u);
  apply_endpoint(p, ep("phone", Availability::offline));
  EXPECT_EQ(p.availability, Availability::offline);
  EXPECT_EQ(p.status_text, "");
}

TEST(PresenceAggregator, TiesGoToPriorityThenNewerPublication) {
  Presence p;
  apply_endpoint(p, ep("a", Availability::available, 1, 10, "low"));
  apply_endpoint(p, ep("b", Availability::chat, 5, 5, "high"));
  EXPECT_EQ(p.status_text, "high");
  apply_endpoint(p, ep("c", Availability::available, 5, 20, "newest"));
  EXPECT_EQ(p.status_text, "newest");
}

TEST(PresenceAggregator, StaleEndpointUpdateIsIgnored) {
  Presence p;
  EXPECT_TRUE(apply_endpoint(p, ep("epid", Availability::busy, 0, 200)));
  EXPECT_FALSE(apply_endpoint(p, ep("epid", Availability::available, 0, 100)));
  EXPECT_EQ(p.availability, Availability::busy);
  EXPECT_TRUE(apply_endpoint(p, ep("epid", Availability::available, 0, 300)));
  EXPECT_EQ(p.availability, Availability::available);
}

TEST(PresenceAggregator, StaleDocumentNeverOverwritesNewerState) {
  Presence stored;
  stored.availability = Availability::dnd;
  stored.publish_time = WallTime{seconds{500}};
  Presence older;
  older.availability = Availability::available;
  older.publish_time = WallTime{seconds{400}};
  EXPECT_FALSE(apply_document(stored, older));
  EXPECT_EQ(stored.availability, Availability::dnd);
  older.publish_time = WallTime{seconds{600}};
  EXPECT_TRUE(apply_document(stored, older));
  EXPECT_EQ(stored.availability, Availability::available);
}

}  // namespace
}  // namespace fedgate::presence
