// SIP presence bodies → the neutral presence model: Microsoft enhanced presence
// (application/msrtc-event-categories+xml, MS-PRES §2.2.2, §3.7.5.1) and PIDF + RPID
// (RFC 3863, RFC 4480; RFC 8048 §6.3), as NOTIFY / BENOTIFY / piggy-backed 200 bodies carry
// them. Owned by sip_net (bridge conversions); pure, any thread. RLMI lists: convert_rlmi.hpp.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "gateway/base/result.hpp"
#include "presence/model/presence.hpp"
#include "sip/codec/media_type.hpp"

namespace fedgate::sip {

inline constexpr std::string_view kMsrtcCategoriesType = "application/msrtc-event-categories+xml";
inline constexpr std::string_view kPidfType = "application/pidf+xml";
inline constexpr std::string_view kLegacyMsrtcType = "text/xml+msrtc.pidf";

// One presence document as received. Lync sends category deltas (a NOTIFY may carry only
// the note), so the document says which parts it carried; merge_presence() folds it into
// what the caller holds. PIDF documents are full state: both flags are set.
struct SipPresenceDocument {
  presence::Presence presence;  // entity, availability, status_text, endpoints, publish_time
  bool has_state = false;       // carried an availability (state category, PIDF basic status)
  bool has_note = false;        // carried a note; an empty note clears the status text
  bool out_of_office = false;   // the note is Lync's out-of-office note
  std::string activity_token;   // msrtc <activity token=...>, or the first RPID activity
  std::string device;           // msrtc aggregate state <device>
  std::string publish_time;     // newest publishTime / PIDF timestamp as sent, "" when none
  friend bool operator==(const SipPresenceDocument&, const SipPresenceDocument&) = default;
};

// MS-PRES §3.7.5.1.1 availability classes: 3000-4499 available, 4500-5999 inactive,
// 6000-8999 busy, 9000-11999 dnd, 12000-14999 be_right_back, 15000-17999 away, else offline.
presence::Availability availability_from_lync(int number) noexcept;

// State category: the aggregateState when there is one, else the newest state; its number
// is kept in the endpoint's lync_availability. Note category: the personal note, else the
// out-of-office note. `entity` is the presentity of the dialog (the document's uri is used
// only when `entity` is empty). Errors: ConvertErrc::bad_body, bad_address.
result<SipPresenceDocument> presence_from_msrtc(std::string_view xml,
                                                const presence::Address& entity);

// One endpoint per <tuple> (id = tuple id): closed → offline; open → available, or away /
// busy by the RPID activities of the <person> (RFC 4480 §3.2). The note is the person's,
// else the tuple's, else the document's. Errors: ConvertErrc::bad_body, bad_address.
result<SipPresenceDocument> presence_from_pidf(std::string_view xml,
                                               const presence::Address& entity);

// The LCS 2005 / OCS 2007 R1 form (text/xml+msrtc.pidf, MS-SIP §2.2.1): <presentity> with
// <availability aggregate> (below 100: offline) and <activity aggregate> ranges: 0-149 away,
// 150-199 lunch (away), 200-299 idle (inactive), 300-399 be right back, 400-499 available,
// 500-699 on the phone / busy, 700-799 away, 800+ available. The note is the activity's note
// attribute (the presentity's, else the first device's). Errors: bad_body, bad_address.
result<SipPresenceDocument> presence_from_legacy_msrtc(std::string_view xml,
                                                       const presence::Address& entity);

// Dispatches on Content-Type (msrtc categories, PIDF or the legacy msrtc.pidf). Errors:
// unsupported_media_type (including multipart/related: use presence_from_rlmi), missing_header
// without a type.
result<SipPresenceDocument> presence_from_body(const std::optional<MediaType>& type,
                                               std::string_view body,
                                               const presence::Address& entity);

// The full document to hand to the router: `update` applied over `held` (nullptr when
// nothing is held). nullopt when `update` is stale (its publish time older than held's).
std::optional<presence::Presence> merge_presence(const presence::Presence* held,
                                                 const SipPresenceDocument& update);

}  // namespace fedgate::sip
