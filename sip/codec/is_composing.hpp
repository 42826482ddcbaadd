// Typing indications: application/im-iscomposing+xml (RFC 3994 §3) and the Microsoft INFO
// body <KeyboardActivity><status status="type"/></KeyboardActivity> (Lync session-mode IM).
// Owned by sip_codec; pure, any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "gateway/base/result.hpp"
#include "sip/codec/xml_dom.hpp"

namespace fedgate::sip {

struct IsComposing {
  bool active = false;                  // <state>active|idle</state>
  std::string content_type;             // <contenttype>, optional
  std::optional<std::uint32_t> refresh;  // seconds, optional (RFC 3994 §3.2)
  std::string last_active;              // xs:dateTime, optional
  friend bool operator==(const IsComposing&, const IsComposing&) = default;
};

inline constexpr std::string_view kIsComposingNs = "urn:ietf:params:xml:ns:im-iscomposing";

result<IsComposing> parse_is_composing(std::string_view xml, const XmlLimits& limits = {});
std::string write_is_composing(const IsComposing& doc);

// KeyboardActivity: true while the user types (status "type"), false when idle.
result<bool> parse_keyboard_activity(std::string_view xml, const XmlLimits& limits = {});
std::string write_keyboard_activity(bool typing);

}  // namespace fedgate::sip
