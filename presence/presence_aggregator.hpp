// Presence aggregation and publish-time ordering (MS-PRES publishTime; XEP-0203 delay):
// several XMPP resources or Lync endpoints fold into one availability, and stale documents
// never overwrite newer state. Pure functions over model values; owned by presence_router.
#pragma once

#include "presence/model/presence.hpp"

// Aggregation rule (documented for administrators): the most available endpoint wins —
// lowest availability_rank (available/chat < inactive < busy < dnd < be_right_back < away <
// xa < offline); ties go to the higher XMPP priority, then the newer publish time, then the
// smaller endpoint id (deterministic). Its status text becomes the entity's status text.
// An entity with no endpoints is offline with no status text.
namespace fedgate::presence {

// Recomputes p.availability, p.status_text and p.publish_time from p.endpoints.
void aggregate(Presence& p);

// Applies one endpoint's update (an XMPP <presence/> from one resource, one Lync endpoint's
// state). An offline update removes the endpoint. Returns false, changing nothing, when the
// stored endpoint carries a newer publish_time than the update (stale).
bool apply_endpoint(Presence& stored, const EndpointPresence& update);

// Replaces the whole document (a Lync NOTIFY with the aggregate state). Returns false,
// changing nothing, when both carry publish times and the stored one is newer.
bool apply_document(Presence& stored, const Presence& document);

}  // namespace fedgate::presence
