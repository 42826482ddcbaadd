// Presence aggregation (rule in presence_aggregator.hpp).
#include "presence/presence_aggregator.hpp"

#include <algorithm>
#include <tuple>

namespace fedgate::presence {
namespace {

bool older(const std::optional<WallTime>& a, const std::optional<WallTime>& b) {
  return a && b && *a < *b;
}

// True when `a` wins over `b` under the aggregation rule.
bool wins(const EndpointPresence& a, const EndpointPresence& b) {
  auto key = [](const EndpointPresence& e) {
    return std::make_tuple(availability_rank(e.availability), -e.priority,
                           -(e.publish_time ? e.publish_time->time_since_epoch().count() : 0));
  };
  auto ka = key(a);
  auto kb = key(b);
  return ka != kb ? ka < kb : a.id < b.id;
}

}  // namespace

void aggregate(Presence& p) {
  if (p.endpoints.empty()) {
    p.availability = Availability::offline;
    p.status_text.clear();
    return;
  }
  const EndpointPresence* best = &p.endpoints.front();
  for (const auto& e : p.endpoints) {
    if (wins(e, *best)) {
      best = &e;
    }
    if (older(p.publish_time, e.publish_time) || (!p.publish_time && e.publish_time)) {
      p.publish_time = e.publish_time;
    }
  }
  p.availability = best->availability;
  p.status_text = best->status_text;
}

bool apply_endpoint(Presence& stored, const EndpointPresence& update) {
  auto it = std::find_if(stored.endpoints.begin(), stored.endpoints.end(),
                         [&](const EndpointPresence& e) { return e.id == update.id; });
  if (it != stored.endpoints.end() && older(update.publish_time, it->publish_time)) {
    return false;
  }
  if (update.availability == Availability::offline) {
    if (it != stored.endpoints.end()) {
      stored.endpoints.erase(it);
    }
  } else if (it != stored.endpoints.end()) {
    *it = update;
  } else {
    stored.endpoints.push_back(update);
  }
  aggregate(stored);
  return true;
}

bool apply_document(Presence& stored, const Presence& document) {
  if (older(document.publish_time, stored.publish_time)) {
    return false;
  }
  stored = document;
  return true;
}

}  // namespace fedgate::presence
