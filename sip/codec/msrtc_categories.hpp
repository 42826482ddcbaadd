// Microsoft enhanced-presence category documents, application/msrtc-event-categories+xml
// (MS-PRES §2.2.2; Lync/S4B NOTIFY and BENOTIFY bodies): state (availability number,
// activity token, device), note (personal / OOF), contactCard. Owned by sip_codec; pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/base/result.hpp"
#include "sip/codec/xml_dom.hpp"

namespace fedgate::sip {

struct MsrtcState {
  std::string type;                         // xsi:type: aggregateState, userState, machineState...
  bool manual = false;
  std::optional<std::uint32_t> availability;  // 3000..18000+ (MS-PRES availability ranges)
  std::string activity_token;               // <activity token="on-the-phone"/>
  std::string device;                       // <device>computer</device> (aggregate states)
  friend bool operator==(const MsrtcState&, const MsrtcState&) = default;
};

struct MsrtcNote {
  std::string type = "personal";  // "personal" or "OOF"
  std::string text;               // empty: the note is cleared
  friend bool operator==(const MsrtcNote&, const MsrtcNote&) = default;
};

struct MsrtcContactCard {
  std::string display_name;
  std::string email;
  std::string title;
  std::string company;
  friend bool operator==(const MsrtcContactCard&, const MsrtcContactCard&) = default;
};

struct MsrtcCategory {
  std::string name;          // "state", "note", "contactCard", or one fedgate ignores
  std::string instance;
  std::string container;
  std::string publish_time;  // xs:dateTime as sent; compare with publish_time_newer()
  std::optional<MsrtcState> state;
  std::optional<MsrtcNote> note;
  std::optional<MsrtcContactCard> contact_card;
  friend bool operator==(const MsrtcCategory&, const MsrtcCategory&) = default;
};

struct MsrtcCategories {
  std::string uri;  // the presentity
  std::vector<MsrtcCategory> categories;
  friend bool operator==(const MsrtcCategories&, const MsrtcCategories&) = default;
};

inline constexpr std::string_view kMsrtcCategoriesNs = "http://schemas.microsoft.com/2006/09/sip/categories";
inline constexpr std::string_view kMsrtcStateNs = "http://schemas.microsoft.com/2006/09/sip/state";
inline constexpr std::string_view kMsrtcNoteNs = "http://schemas.microsoft.com/2006/09/sip/note";
inline constexpr std::string_view kMsrtcContactCardNs = "http://schemas.microsoft.com/2006/09/sip/contactcard";

result<MsrtcCategories> parse_msrtc_categories(std::string_view xml, const XmlLimits& limits = {});
std::string write_msrtc_categories(const MsrtcCategories& doc);

// Whether publish time `a` is later than `b` (xs:dateTime in UTC, as Lync sends them:
// "2024-05-01T09:30:00.123Z"); an empty time is older than any other.
bool publish_time_newer(std::string_view a, std::string_view b);

}  // namespace fedgate::sip
